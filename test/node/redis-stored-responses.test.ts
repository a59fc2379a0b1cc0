import { createClient } from '@redis/client';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELLO_TEXT } from '../support/fake-upstream/scenarios.ts';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { CANARY_KEY, createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';
import { jsonInit } from '../support/target.ts';

// Stored responses (POST /responses unless store: false) in Redis, as Redis holds them: one key
// per response expiring after RESPONSES_TTL_SECONDS, visible only to the caller that made it, and
// shared by every gateway on that Redis, so a conversation goes on through any of them.

const TTL_SECONDS = 120;
const prefix = `stored-${crypto.randomUUID().slice(0, 8)}:`;
let redis: TestRedisServer;
let redisClient: ReturnType<typeof createClient>;
let a: NodeTarget;
let b: NodeTarget;
let provider: TestProvider;

beforeAll(async () => {
  redis = await startRedisServer();
  redisClient = createClient({ url: redis.url });
  await redisClient.connect();
  const environment = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, RESPONSES_TTL_SECONDS: String(TTL_SECONDS) };
  [a, b] = await Promise.all([startTarget(environment), startTarget(environment)]);
  provider = await createTestProvider(a, 'openai');
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redisClient?.close();
  await redis?.close();
});

async function createKey(): Promise<{ id: string; key: string }> {
  const response = await a.fetch('/keys', jsonInit('POST', { name: `stored-${crypto.randomUUID().slice(0, 8)}` }));
  expect(response.status).toBe(201);
  return response.json();
}

const openaiAs = (target: NodeTarget, secret: string) => new OpenAI({ apiKey: secret, baseURL: target.apiBase, fetch: target.rawFetch, maxRetries: 0 });
const responseKeys = () => redisClient.keys(`${prefix}response:*`);

describe('stored responses in Redis', () => {
  it('are one key per response, expiring after RESPONSES_TTL_SECONDS, owned by the caller and holding no secret', async () => {
    const owner = await createKey();
    const response = await openaiAs(a, owner.key).responses.create({ model: `${provider.name}/gpt-test`, input: 'Remember this' });
    const key = `${prefix}response:${response.id}`;
    const ttl = await redisClient.ttl(key);
    expect(ttl).toBeGreaterThan(TTL_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(TTL_SECONDS);
    const stored = JSON.parse((await redisClient.get(key))!);
    expect(stored).toMatchObject({ v: 1, owner: `key:${owner.id}`, response: { id: response.id, output: [{ type: 'message', content: [{ type: 'output_text', text: HELLO_TEXT }] }] }, input: [{ role: 'user', content: 'Remember this' }] });
    const text = JSON.stringify(stored);
    expect(text).not.toContain(owner.key);
    expect(text).not.toContain(CANARY_KEY);
  });

  it('go on through the other gateway, for their owner only; DELETE through one is gone for both', async () => {
    const owner = await createKey();
    const stranger = await createKey();
    const first = await openaiAs(a, owner.key).responses.create({ model: `${provider.name}/gpt-test`, input: 'First turn' });
    const second = await openaiAs(b, owner.key).responses.create({ model: `${provider.name}/gpt-test`, previous_response_id: first.id, input: 'Second turn' });
    expect(second.output_text).toBe(HELLO_TEXT);
    const [sent] = (await upstreamRequestsFor(a, provider)).slice(-1);
    expect(JSON.parse(sent!.body).messages).toEqual([
      { role: 'user', content: 'First turn' },
      { role: 'assistant', content: HELLO_TEXT },
      { role: 'user', content: 'Second turn' },
    ]);

    const getAs = (target: NodeTarget, secret: string) => target.fetch(`/responses/${first.id}`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await getAs(b, owner.key)).status).toBe(200);
    for (const [target, secret] of [[a, stranger.key], [b, stranger.key]] as const) expect((await getAs(target, secret)).status).toBe(404);
    // The shared token is a caller of its own: not the key's.
    expect((await b.fetch(`/responses/${first.id}`)).status).toBe(404);

    expect((await b.fetch(`/responses/${first.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${owner.key}` } })).status).toBe(204);
    expect(await redisClient.exists(`${prefix}response:${first.id}`)).toBe(0);
    expect((await getAs(a, owner.key)).status).toBe(404);
  });

  it('are not kept with store: false', async () => {
    const owner = await createKey();
    const before = (await responseKeys()).length;
    const response = await openaiAs(a, owner.key).responses.create({ model: `${provider.name}/gpt-test`, input: 'Forget this', store: false });
    expect(response.output_text).toBe(HELLO_TEXT);
    expect((await responseKeys()).length).toBe(before);
    expect(await redisClient.exists(`${prefix}response:${response.id}`)).toBe(0);
  });
});
