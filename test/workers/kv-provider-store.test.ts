import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { CorruptProviderRecordError, createKvProviderStore } from '../../src/adapter/cloudflare-workers/kv-provider-store.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { StoredProvider } from '../../src/storage/provider-store.ts';

// The KV provider store against a real (Miniflare) KV namespace: the ProviderStore contract, KV's
// list pagination, and what happens to a value that is not a provider record.

const kv = env.STORE_TEST_KV;

function quietLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }) };
}

function record(overrides: Partial<StoredProvider> = {}): StoredProvider {
  const id = crypto.randomUUID();
  return {
    id,
    name: `kv-${id.slice(0, 8)}`,
    baseUrl: 'https://api.example.com/v1',
    routingMethod: 'openai',
    customHeaders: { 'X-Title': 'kv store' },
    encryptedApiKey: { v: 1, iv: 'aXZpdml2aXZpdml2', data: 'ZGF0YQ==', tag: 'dGFndGFndGFndGFndGFnIQ==' },
    apiKeyHint: '…1234',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('the ProviderStore contract on KV', () => {
  it('creates, reads, lists, updates and deletes, each write returning the stored record', async () => {
    const store = createKvProviderStore(kv, quietLogger());
    const provider = record();
    expect(await store.create(provider)).toEqual(provider);
    expect(await kv.get(`provider:${provider.id}`, 'text')).toBe(JSON.stringify(provider));
    expect(await store.get(provider.id)).toEqual(provider);
    expect(await store.list()).toContainEqual(provider);

    const updated = await store.update(provider.id, { name: 'renamed', updatedAt: '2026-02-02T00:00:00.000Z' });
    expect(updated).toEqual({ ...provider, name: 'renamed', updatedAt: '2026-02-02T00:00:00.000Z' });
    expect(await store.get(provider.id)).toEqual(updated);

    expect(await store.delete(provider.id)).toBe(true);
    expect(await store.get(provider.id)).toBeNull();
    expect(await store.delete(provider.id)).toBe(false);
    expect((await store.list()).map((entry) => entry.id)).not.toContain(provider.id);
  });

  it('answers null for unknown ids, including ones too long to be a KV key', async () => {
    const store = createKvProviderStore(kv, quietLogger());
    expect(await store.get('no-such-provider')).toBeNull();
    expect(await store.update('no-such-provider', { name: 'x' })).toBeNull();
    expect(await store.delete('no-such-provider')).toBe(false);
    expect(await store.get('x'.repeat(600))).toBeNull();
    expect(await store.delete('x'.repeat(600))).toBe(false);
  });

  it('keeps id and createdAt when an update tries to change them', async () => {
    const store = createKvProviderStore(kv, quietLogger());
    const provider = await store.create(record());
    const updated = await store.update(provider.id, { id: 'other', createdAt: '1999-01-01T00:00:00.000Z' } as never);
    expect(updated).toMatchObject({ id: provider.id, createdAt: provider.createdAt });
  });

  it('lists in creation order', async () => {
    const store = createKvProviderStore(kv, quietLogger());
    const later = await store.create(record({ createdAt: '2026-03-02T00:00:00.000Z' }));
    const earlier = await store.create(record({ createdAt: '2026-03-01T00:00:00.000Z' }));
    const ids = (await store.list()).map((entry) => entry.id);
    expect(ids.indexOf(earlier.id)).toBeLessThan(ids.indexOf(later.id));
  });
});

describe('pagination', () => {
  it('follows the cursor to the end with a small page size', async () => {
    const store = createKvProviderStore(kv, { ...quietLogger(), pageSize: 7 });
    const created = await Promise.all(Array.from({ length: 30 }, () => store.create(record())));
    const listed = new Set((await store.list()).map((entry) => entry.id));
    for (const provider of created) expect(listed.has(provider.id)).toBe(true);
  });

  it('lists past KV\'s 1000-key page and 100-key bulk read with the default page size', async () => {
    const store = createKvProviderStore(kv, quietLogger());
    const created = await Promise.all(Array.from({ length: 1010 }, () => store.create(record())));
    const listed = await store.list();
    expect(listed.length).toBeGreaterThanOrEqual(1010);
    const ids = new Set(listed.map((entry) => entry.id));
    expect(created.filter((provider) => !ids.has(provider.id))).toEqual([]);
  }, 60_000);
});

describe('a value that is not a provider record', () => {
  it.each([
    ['not JSON', () => '{"id":'],
    ['missing fields', (id: string) => JSON.stringify({ id, name: 'half' })],
    ['a record stored under another id', () => JSON.stringify(record())],
  ])('%s: is skipped and logged by key when listing, an error when read, and still deletable', async (_, value) => {
    const { lines, logger } = quietLogger();
    const store = createKvProviderStore(kv, { logger });
    const good = await store.create(record());
    const badId = crypto.randomUUID();
    await kv.put(`provider:${badId}`, value(badId));

    const listed = await store.list();
    expect(listed.map((entry) => entry.id)).toContain(good.id);
    expect(listed.map((entry) => entry.id)).not.toContain(badId);
    const warning = lines.map((line) => JSON.parse(line)).find((line) => line.key === `provider:${badId}`);
    expect(warning).toMatchObject({ level: 'warn', message: 'skipping a corrupt provider record' });

    await expect(store.get(badId)).rejects.toBeInstanceOf(CorruptProviderRecordError);
    await expect(store.update(badId, { name: 'x' })).rejects.toBeInstanceOf(CorruptProviderRecordError);
    expect(await store.delete(badId)).toBe(true);
    expect(await kv.get(`provider:${badId}`, 'text')).toBeNull();
  });
});
