import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { createTestProvider, upstreamRequestsFor } from '../support/providers.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';
import { adminHeaders, jsonInit } from '../support/target.ts';

// Two real gateways (each from createNodeApp, on its own loopback port) on one real Redis: they
// must act as one gateway.

let redis: TestRedisServer;
let a: NodeTarget;
let b: NodeTarget;
const prefix = `two-${crypto.randomUUID().slice(0, 8)}:`;

beforeAll(async () => {
  redis = await startRedisServer();
  const environment = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'debug' };
  [a, b] = await Promise.all([startTarget(environment), startTarget(environment)]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.close();
});

const providerInput = (name: string, apiKey = 'sk-CANARY-two-instances-0001') => ({ name, baseUrl: `${a.upstreamUrl}/openai/v1`, apiKey, routingMethod: 'openai' });

async function createKey(target: NodeTarget, body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const response = await target.fetch('/keys', jsonInit('POST', body));
  expect(response.status).toBe(201);
  return response.json();
}

const withKey = (secret: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${secret}` } });

describe('two gateways on one Redis', () => {
  it('see each other\'s writes at once: create on one, read, update and delete on the other', async () => {
    const created = await a.fetch('/providers', jsonInit('POST', providerInput(`shared-${crypto.randomUUID().slice(0, 8)}`)));
    expect(created.status).toBe(201);
    const provider = await created.json();
    const read = await b.fetch(`/providers/${provider.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(provider);

    const updated = await b.fetch(`/providers/${provider.id}`, jsonInit('PUT', { baseUrl: `${a.upstreamUrl}/openai/v2` }));
    expect(updated.status).toBe(200);
    expect((await (await a.fetch(`/providers/${provider.id}`)).json()).baseUrl).toBe(`${a.upstreamUrl}/openai/v2`);

    expect((await a.fetch(`/providers/${provider.id}`, { method: 'DELETE', headers: adminHeaders })).status).toBe(204);
    expect((await b.fetch(`/providers/${provider.id}`)).status).toBe(404);
  });

  it('agree on the salt they created together at start-up: a key stored through one is decrypted by the other', async () => {
    const provider = await createTestProvider(a, 'openai');
    const response = await b.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(response.status).toBe(200);
    expect((await response.json()).object).toBe('chat.completion');
  });

  it('keep all of 50 concurrent provider writes split across both', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? a : b).fetch('/providers', jsonInit('POST', providerInput(`bulk-${run}-${index}`)))),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
    const ids = new Set(await Promise.all(responses.map(async (response) => (await response.json()).id as string)));
    for (const target of [a, b]) {
      const listed = (await (await target.fetch('/providers')).json()).data as Array<{ id: string; name: string }>;
      const ours = listed.filter((provider) => provider.name.startsWith(`bulk-${run}-`));
      expect(new Set(ours.map((provider) => provider.id))).toEqual(ids);
    }
  });

  it('store a name once when both race to create it: one 201, every other 409 CONFLICT', async () => {
    const name = `race-${crypto.randomUUID().slice(0, 8)}`;
    const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? a : b).fetch('/providers', jsonInit('POST', providerInput(index % 3 === 0 ? name.toUpperCase() : name)))));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    const conflict = await responses.find((response) => response.status === 409)!.json();
    expect(conflict.error).toMatchObject({ code: 'CONFLICT', details: { field: 'name' } });
    const listed = (await (await b.fetch('/providers')).json()).data as Array<{ name: string }>;
    expect(listed.filter((provider) => provider.name.toLowerCase() === name)).toHaveLength(1);
  });

  it('count an access key\'s rate limit exactly across both', async () => {
    const { key } = await createKey(a, { name: 'limited', rateLimit: { requests: 5, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (let index = 0; index < 8; index++) statuses.push((await (index % 2 === 0 ? a : b).fetch('/usage', withKey(key))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
  });

  it('refuse on one a key whose budget was used up through the other, and count its usage once', async () => {
    const provider = await createTestProvider(a, 'openai');
    const body = JSON.stringify({ model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 6 });
    const chat = (target: NodeTarget, secret: string) => target.fetch('/chat/completions', withKey(secret, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    // What one answer costs, learned from a first key, and what a request reserves: a quarter of
    // its body's bytes plus its max_tokens.
    const probe = await createKey(a, { name: 'probe' });
    const first = await chat(a, probe.key);
    expect(first.status).toBe(200);
    const tokens = (await first.json()).usage.total_tokens as number;
    expect(tokens).toBeGreaterThan(0);
    const worstCase = Math.ceil(new TextEncoder().encode(body).length / 4) + 6;

    // Room for one request's worst case, not for a second on top of the first one's answer.
    const budgeted = await createKey(b, { name: 'budgeted', budget: { tokens: Math.max(worstCase, tokens), period: 'day' } });
    expect((await chat(a, budgeted.key)).status).toBe(200);
    const refused = await chat(b, budgeted.key);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { used: tokens } });
    const usage = await (await b.fetch('/usage', withKey(budgeted.key))).json();
    expect(usage.data).toEqual([{ requests: 1, errors: 0, promptTokens: expect.any(Number), completionTokens: expect.any(Number), cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 1 }]);
    expect(usage.data[0].promptTokens + usage.data[0].completionTokens).toBe(tokens);
    // Its last use is known to the other instance too.
    const listed = await (await a.fetch(`/keys/${budgeted.id}`, { headers: adminHeaders })).json();
    expect(Date.now() - Date.parse(listed.lastUsedAt)).toBeLessThan(60_000);
  });

  it('serve a model list cached by one from the other', async () => {
    const provider = await createTestProvider(a, 'openai');
    const fresh = await (await a.fetch(`/providers/${provider.id}/models`)).json();
    expect(fresh.cached).toBe(false);
    const cached = await (await b.fetch(`/providers/${provider.id}/models`)).json();
    expect(cached).toEqual({ ...fresh, cached: true });
    // A change through one drops the list for both.
    expect((await b.fetch(`/providers/${provider.id}`, jsonInit('PUT', { customHeaders: { 'x-test-run': provider.run, 'x-changed': '1' } }))).status).toBe(200);
    expect((await (await a.fetch(`/providers/${provider.id}/models`)).json()).cached).toBe(false);
  });
});

describe('two gateways with a per-client rate limit', () => {
  let limitedA: NodeTarget;
  let limitedB: NodeTarget;
  beforeAll(async () => {
    const environment = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `limited-${crypto.randomUUID().slice(0, 8)}:`, LOG_LEVEL: 'silent', RATE_LIMIT_MAX_REQUESTS: '4' };
    [limitedA, limitedB] = await Promise.all([startTarget(environment), startTarget(environment)]);
  });
  afterAll(async () => {
    await Promise.all([limitedA?.close(), limitedB?.close()]);
  });

  it('count one client\'s requests to both in one window, exactly', async () => {
    const answers: Array<[number, string | null]> = [];
    for (let index = 0; index < 6; index++) {
      const response = await (index % 2 === 0 ? limitedA : limitedB).fetch('/health');
      answers.push([response.status, response.headers.get('ratelimit-remaining')]);
    }
    expect(answers).toEqual([[200, '3'], [200, '2'], [200, '1'], [200, '0'], [429, '0'], [429, '0']]);
  });
});

describe('the response cache across two gateways', () => {
  it('answers on one a question the other answered, streamed or not, with one upstream call', async () => {
    const provider = await createTestProvider(a, 'openai');
    const question = { model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: `echo: shared cache ${crypto.randomUUID()}` }] };
    const ask = (target: NodeTarget, stream: boolean) =>
      target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', 'x-gateway-cache-ttl': '600' }, body: JSON.stringify({ ...question, stream }) });
    const first = await ask(a, false);
    expect(first.headers.get('x-gateway-cache-status')).toBe('MISS');
    const answer = await first.json();
    const second = await ask(b, false);
    expect(second.headers.get('x-gateway-cache-status')).toBe('HIT');
    expect(await second.json()).toEqual(answer);
    const streamed = await ask(b, true);
    expect(streamed.headers.get('x-gateway-cache-status')).toBe('HIT');
    expect(await streamed.text()).toContain('[DONE]');
    const sent = (await upstreamRequestsFor(a, provider)).filter((request) => request.method === 'POST');
    expect(sent).toHaveLength(1);
  });
});

describe('what Redis holds', () => {
  it('has no provider key or access key in plain text in any key or value', async () => {
    const providerKey = `sk-CANARY-redis-scan-${crypto.randomUUID()}`;
    const created = await a.fetch('/providers', jsonInit('POST', providerInput(`canary-${crypto.randomUUID().slice(0, 8)}`, providerKey)));
    expect(created.status).toBe(201);
    const { id: providerId } = await created.json();
    expect((await b.fetch(`/providers/${providerId}`, jsonInit('PUT', { apiKey: `${providerKey}-rotated` }))).status).toBe(200);
    const { key: accessKey } = await createKey(b, { name: 'canary key' });
    expect((await a.fetch('/usage', withKey(accessKey))).status).toBe(200);

    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const dump: string[] = [];
      let keys = 0;
      for await (const page of client.scanIterator({ MATCH: '*', COUNT: 1000 })) {
        for (const key of page) {
          keys++;
          dump.push(key);
          const type = await client.type(key);
          if (type === 'string') dump.push((await client.get(key)) ?? '');
          else if (type === 'hash') dump.push(...Object.entries(await client.hGetAll(key)).flat());
          else if (type === 'zset') dump.push(JSON.stringify(await client.zRangeWithScores(key, 0, -1)));
          else if (type === 'stream') dump.push(JSON.stringify(await client.xRange(key, '-', '+')));
          else throw new Error(`unexpected ${type} at ${key}`);
        }
      }
      const text = dump.join('\n');
      // The scan saw the data: the provider's record with its ciphertext, the key's record.
      expect(keys).toBeGreaterThan(10);
      expect(text).toContain(providerId);
      expect(text).toContain('"encryptedApiKey":{"v":1');
      for (const secret of [providerKey, accessKey, accessKey.slice(4), 'sk-CANARY']) expect(text).not.toContain(secret);
      // Nor in either gateway's log (at debug level).
      const logs = [...a.logs(), ...b.logs()].join('\n');
      expect(logs).toContain(providerId);
      for (const secret of [providerKey, accessKey.slice(4)]) expect(logs).not.toContain(secret);
    } finally {
      await client.close();
    }
  });
});
