import { createClient } from '@redis/client';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget } from '../support/node-target.ts';
import { createTestProvider, upstreamRequestsFor } from '../support/providers.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';
import { adminHeaders } from '../support/target.ts';

// Custom header values at rest on Node: in neither the data file nor any Redis key or value, and a
// record an older version wrote with its values in plain text is encrypted when the server starts,
// every value kept (contract v1.2, "Hardening").

const SECRET = 'AIza-CANARY-header-at-rest-5f3e';
const LEGACY = 'legacy-CANARY-plain-value-0042';

let redis: TestRedisServer;
let root: string;
beforeAll(async () => {
  redis = await startRedisServer();
  root = await mkdtemp(join(tmpdir(), 'gateway-header-secrets-'));
});
afterAll(async () => {
  await redis.close();
  await rm(root, { recursive: true, force: true });
});

async function chatThrough(target: Awaited<ReturnType<typeof startTarget>>, name: string) {
  const response = await target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `${name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }) });
  expect(response.status).toBe(200);
  await response.text();
}

async function redisContents(prefix: string): Promise<string> {
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    const parts: string[] = [];
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*` })) {
      for (const key of keys) {
        const type = await client.type(key);
        parts.push(
          key,
          type === 'hash' ? JSON.stringify(await client.hGetAll(key))
          : type === 'string' ? ((await client.get(key)) ?? '')
          // The request log.
          : type === 'stream' ? JSON.stringify(await client.xRange(key, '-', '+'))
          : JSON.stringify(await client.zRange(key, 0, -1)),
        );
      }
    }
    return parts.join('\n');
  } finally {
    await client.close();
  }
}

describe('custom header values at rest', () => {
  it('are in no data file, and an older plain-text record is encrypted at start with its values kept', async () => {
    const folder = await mkdtemp(join(root, 'file-'));
    let target = await startTarget({ LOG_LEVEL: 'silent' }, folder);
    const provider = await createTestProvider(target, 'openai', { customHeaders: { 'X-Goog-Api-Key': SECRET } });
    await chatThrough(target, provider.name);
    await target.close();
    const file = join(folder, 'providers.json');
    const written = await readFile(file, 'utf8');
    expect(written).not.toContain(SECRET);
    expect(written).not.toContain(provider.run);

    // As an older version stored it: the values in plain text, no ciphertext.
    const stored = JSON.parse(written);
    delete stored.providers[0].encryptedCustomHeaders;
    stored.providers[0].customHeaders = { 'x-test-run': provider.run, 'X-Goog-Api-Key': LEGACY };
    await writeFile(file, JSON.stringify(stored));

    target = await startTarget({}, folder);
    try {
      expect(target.logs().join('\n')).toContain('"message":"encrypted the custom header values that were stored in plain text","providers":1');
      const sealed = await readFile(file, 'utf8');
      expect(sealed).not.toContain(LEGACY);
      expect(JSON.parse(sealed).providers[0]).toMatchObject({ customHeaders: {}, encryptedCustomHeaders: { v: 1 } });
      expect((await (await target.fetch(`/providers/${provider.id}`, { headers: adminHeaders })).json()).customHeaders).toEqual({ 'x-test-run': provider.run, 'X-Goog-Api-Key': LEGACY });
      await chatThrough(target, provider.name);
      expect((await upstreamRequestsFor(target, provider)).at(-1)!.headers['x-goog-api-key']).toBe(LEGACY);
    } finally {
      await target.close();
    }
  });

  it('are in no Redis key or value, and an older plain-text record there is encrypted at start', async () => {
    const prefix = `header-secrets-${crypto.randomUUID()}:`;
    const onRedis = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'silent' };
    let target = await startTarget(onRedis);
    const provider = await createTestProvider(target, 'anthropic', { customHeaders: { 'X-Goog-Api-Key': SECRET } });
    await chatThrough(target, provider.name);
    await target.close();
    const contents = await redisContents(prefix);
    expect(contents).toContain(provider.id);
    expect(contents).not.toContain(SECRET);

    const client = createClient({ url: redis.url });
    await client.connect();
    const stored = JSON.parse((await client.hGet(`${prefix}providers`, provider.id))!);
    delete stored.encryptedCustomHeaders;
    stored.customHeaders = { 'x-test-run': provider.run, 'X-Goog-Api-Key': LEGACY };
    await client.hSet(`${prefix}providers`, provider.id, JSON.stringify(stored));
    await client.close();

    target = await startTarget(onRedis);
    try {
      expect(await redisContents(prefix)).not.toContain(LEGACY);
      await chatThrough(target, provider.name);
      expect((await upstreamRequestsFor(target, provider)).at(-1)!.headers['x-goog-api-key']).toBe(LEGACY);
    } finally {
      await target.close();
    }
  });
});
