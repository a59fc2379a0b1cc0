import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createKvModelsCache } from '../../src/adapter/cloudflare-workers/kv-models-cache.ts';

// The models cache on a real (Miniflare) KV namespace, which, like production KV, refuses an
// expirationTtl under 60 s: a shorter TTL must still be stored, and must still expire on time.

const kv = env.STORE_TEST_KV;
const models = { data: [{ id: 'gpt-test', owned_by: 'fake' }], fetchedAt: '2026-01-01T00:00:00.000Z' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KV models cache', () => {
  it('runs on a KV that refuses an expirationTtl under 60 s, as production KV does', async () => {
    await expect(kv.put(`probe:${crypto.randomUUID()}`, 'x', { expirationTtl: 59 })).rejects.toThrow(/60/);
  });

  it('serves an entry with a TTL under 60 s until it expires, then misses', async () => {
    const cache = createKvModelsCache(kv);
    const providerId = crypto.randomUUID();
    await cache.set(providerId, models, 400);
    expect(await cache.get(providerId)).toEqual(models);
    await sleep(500);
    expect(await cache.get(providerId)).toBeNull();
  });

  it('asks KV for its 60 s minimum expiry when the TTL is shorter, and for the TTL when longer', async () => {
    const cache = createKvModelsCache(kv);
    const short = crypto.randomUUID();
    const long = crypto.randomUUID();
    const before = Date.now() / 1000;
    await cache.set(short, models, 1_000);
    await cache.set(long, models, 600_000);
    const expirations = new Map((await kv.list({ prefix: 'models:' })).keys.map((key) => [key.name, (key as { expiration?: number }).expiration]));
    expect(expirations.get(`models:${short}`)).toBeGreaterThanOrEqual(Math.floor(before + 60));
    expect(expirations.get(`models:${short}`)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000 + 60));
    expect(expirations.get(`models:${long}`)).toBeGreaterThanOrEqual(Math.floor(before + 600));
  });

  it('uses the injected clock for expiry', async () => {
    let now = 1_000_000;
    const cache = createKvModelsCache(kv, () => now);
    const providerId = crypto.randomUUID();
    await cache.set(providerId, models, 30_000);
    now += 29_999;
    expect(await cache.get(providerId)).toEqual(models);
    now += 1;
    expect(await cache.get(providerId)).toBeNull();
  });

  it('stores nothing for a TTL of 0, and forgets a deleted entry', async () => {
    const cache = createKvModelsCache(kv);
    const providerId = crypto.randomUUID();
    await cache.set(providerId, models, 0);
    expect(await kv.get(`models:${providerId}`, 'text')).toBeNull();
    await cache.set(providerId, models, 60_000);
    await cache.delete(providerId);
    expect(await cache.get(providerId)).toBeNull();
  });

  it('treats a value it did not write as a miss', async () => {
    const cache = createKvModelsCache(kv);
    const providerId = crypto.randomUUID();
    await kv.put(`models:${providerId}`, 'not json');
    expect(await cache.get(providerId)).toBeNull();
    await kv.put(`models:${providerId}`, JSON.stringify({ data: [] }));
    expect(await cache.get(providerId)).toBeNull();
  });
});
