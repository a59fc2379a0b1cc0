import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { createWorkerApp } from '../../src/adapter/cloudflare-workers/create-worker-app.ts';
import type { RateLimitCounterNamespace, WorkerEnv } from '../../src/adapter/cloudflare-workers/worker-bindings.ts';

// Rate limiting as the Worker wires it: counters in the RateLimitCounter Durable Object (real,
// run by Miniflare), the client address from CF-Connecting-IP, and a store failure that lets
// requests through instead of answering 500.

async function workerApp(overrides: Partial<WorkerEnv> = {}, rateLimitStoreTimeoutMs = 15_000) {
  const lines: string[] = [];
  const { app } = await createWorkerApp(
    { ...env, RATE_LIMIT_MAX_REQUESTS: '3', OUTBOUND_RATE_LIMIT_MAX_REQUESTS: '1', ...overrides },
    // A busy test machine can take more than the production 1 s to answer a counter call, which
    // would (rightly) let a request through uncounted and make the exact counts below flaky.
    { logWrite: (line) => lines.push(line), rateLimitStoreTimeoutMs },
  );
  return { app, lines };
}

const fromAddress = (address: string) => ({ headers: { 'cf-connecting-ip': address } });
const uniqueAddress = () => `203.0.113.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}`;

describe('rate limiting on Workers', () => {
  it('counts per CF-Connecting-IP and answers the request over the limit with 429 RATE_LIMITED and RateLimit headers', async () => {
    const { app } = await workerApp();
    const client = uniqueAddress();
    const remaining: Array<string | null> = [];
    for (let index = 0; index < 3; index++) {
      const response = await app.request('/api/v1/health', fromAddress(client));
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const limited = await app.request('/api/v1/health', fromAddress(client));
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('ratelimit-policy')).toBe('3;w=60');

    expect((await app.request('/api/v1/health', fromAddress(uniqueAddress()))).status).toBe(200);
  });

  it('counts exactly across isolates: two app instances share one counter per client', async () => {
    const first = await workerApp();
    const second = await workerApp();
    const client = uniqueAddress();
    const statuses: number[] = [];
    for (const { app } of [first, second, first, second]) statuses.push((await app.request('/api/v1/health', fromAddress(client))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('starts a fresh window when the last one ends, and leaves no storage behind for an idle client', async () => {
    const { app } = await workerApp({ RATE_LIMIT_WINDOW_MS: '1000', RATE_LIMIT_MAX_REQUESTS: '1' });
    const client = uniqueAddress();
    expect((await app.request('/api/v1/health', fromAddress(client))).status).toBe(200);
    expect((await app.request('/api/v1/health', fromAddress(client))).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const stub = env.RATE_LIMIT_COUNTER.get(env.RATE_LIMIT_COUNTER.idFromName(`all:${client}`));
    // The alarm at the window's end has deleted the counter.
    expect((await runInDurableObject(stub, (_, state) => state.storage.list())).size).toBe(0);
    expect((await app.request('/api/v1/health', fromAddress(client))).status).toBe(200);
  });

  it('counts concurrent requests exactly', async () => {
    const { app, lines } = await workerApp({ RATE_LIMIT_MAX_REQUESTS: '10' });
    const client = uniqueAddress();
    const statuses = await Promise.all(Array.from({ length: 25 }, async () => (await app.request('/api/v1/health', fromAddress(client))).status));
    expect(lines.filter((line) => line.includes('rate limit store failed'))).toEqual([]);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
  });

  it('keeps the tighter outbound limit for on-demand upstream calls', async () => {
    const { app } = await workerApp();
    const client = uniqueAddress();
    const headers = { 'cf-connecting-ip': client, authorization: `Bearer ${env.ADMIN_TOKEN as string}`, 'content-type': 'application/json' };
    const created = await app.request('/api/v1/providers', { method: 'POST', headers: { ...headers, 'cf-connecting-ip': uniqueAddress() }, body: JSON.stringify({ name: `outbound-${crypto.randomUUID().slice(0, 8)}`, baseUrl: `${inject('upstreamUrl')}/openai/v1`, apiKey: 'sk-CANARY-outbound-000000001', routingMethod: 'openai' }) });
    const provider = await created.json();
    const init = { method: 'POST', headers };
    // An unknown provider sends nothing out, so it does not count.
    expect((await app.request('/api/v1/providers/missing/models/refresh', init)).status).toBe(404);
    expect((await app.request(`/api/v1/providers/${provider.id}/models/refresh`, init)).status).toBe(200);
    const limited = await app.request(`/api/v1/providers/${provider.id}/models/refresh`, init);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-limit')).toBe('1');
  });

  it('with both limits off counts nothing, asks no counter, and sends no RateLimit headers', async () => {
    const counterCalls: string[] = [];
    const recordingNamespace = {
      idFromName: (name: string) => {
        counterCalls.push(name);
        throw new Error('no counter may be asked for while limits are off');
      },
      get: () => {
        throw new Error('unreachable');
      },
    } as unknown as RateLimitCounterNamespace;
    const { app, lines } = await workerApp({ RATE_LIMIT_MAX_REQUESTS: 'off', OUTBOUND_RATE_LIMIT_MAX_REQUESTS: 'off', RATE_LIMIT_COUNTER: recordingNamespace });
    const client = uniqueAddress();
    const admin = { method: 'POST', headers: { 'cf-connecting-ip': client, authorization: `Bearer ${env.ADMIN_TOKEN as string}` } };
    const responses = [
      ...(await Promise.all(Array.from({ length: 150 }, () => app.request('/api/v1/health', fromAddress(client))))),
      // The outbound routes too (missing provider: 404, after the limiter would have run).
      ...(await Promise.all(Array.from({ length: 15 }, () => app.request('/api/v1/providers/missing/models/refresh', admin)))),
    ];
    expect(responses.map((response) => response.status)).toEqual([...Array(150).fill(200), ...Array(15).fill(404)]);
    expect(responses.flatMap((response) => [...response.headers.keys()].filter((name) => name.startsWith('ratelimit') || name === 'retry-after'))).toEqual([]);
    expect(counterCalls).toEqual([]);
    expect(lines.filter((line) => line.includes('rate limit store failed'))).toEqual([]);
  });

  it.each([
    ['throws', { idFromName: () => { throw new Error('Durable Object namespace unavailable'); }, get: () => { throw new Error('unreachable'); } }],
    ['rejects', { idFromName: (name: string) => name, get: () => ({ increment: () => Promise.reject(new Error('storage overloaded')), decrement: async () => {}, reset: async () => {} }) }],
    ['never answers', { idFromName: (name: string) => name, get: () => ({ increment: () => new Promise<never>(() => {}), decrement: async () => {}, reset: async () => {} }) }],
  ] as Array<[string, RateLimitCounterNamespace]>)('lets requests through, never 500, when the counter store %s', async (_, namespace) => {
    // The production timeout (1 s), which 'never answers' runs into.
    const { app, lines } = await workerApp({ RATE_LIMIT_COUNTER: namespace }, 1_000);
    const client = uniqueAddress();
    // More requests than the limit (3) allows.
    for (let index = 0; index < 4; index++) {
      const response = await app.request('/api/v1/health', fromAddress(client));
      expect(response.status).toBe(200);
    }
    expect(lines.map((line) => JSON.parse(line)).filter((line) => line.message === 'rate limit store failed; letting the request through').length).toBeGreaterThanOrEqual(4);
  }, 20_000);

  it.each([
    ['throws', { idFromName: () => { throw new Error('Durable Object namespace unavailable'); }, get: () => { throw new Error('unreachable'); } }],
    ['rejects', { idFromName: (name: string) => name, get: () => ({ increment: () => Promise.reject(new Error('storage overloaded')), decrement: async () => {}, reset: async () => {} }) }],
    ['never answers', { idFromName: (name: string) => name, get: () => ({ increment: () => new Promise<never>(() => {}), decrement: async () => {}, reset: async () => {} }) }],
  ] as Array<[string, RateLimitCounterNamespace]>)('refuses an access key with a rate limit with 503 STORAGE_UNAVAILABLE when the counter store %s', async (_, namespace) => {
    const { app, lines } = await workerApp({ RATE_LIMIT_COUNTER: namespace }, 1_000);
    const admin = { authorization: `Bearer ${env.ADMIN_TOKEN as string}`, 'content-type': 'application/json', 'cf-connecting-ip': uniqueAddress() };
    const create = async (body: Record<string, unknown>) => (await app.request('/api/v1/keys', { method: 'POST', headers: admin, body: JSON.stringify({ name: `closed-${crypto.randomUUID().slice(0, 8)}`, ...body }) })).json() as Promise<{ key: string }>;
    const limited = await create({ rateLimit: { requests: 100, windowMs: 60_000 } });
    const unlimited = await create({});
    const asKey = (key: string) => ({ headers: { authorization: `Bearer ${key}`, 'cf-connecting-ip': uniqueAddress() } });

    const refused = await app.request('/api/v1/models', asKey(limited.key));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect((await refused.json()).error.code).toBe('STORAGE_UNAVAILABLE');
    // A key without a limit of its own, and the shared per-address limit, go on (failing open).
    expect((await app.request('/api/v1/models', asKey(unlimited.key))).status).toBe(200);
    const warnings = lines.map((line) => JSON.parse(line)).map((line) => line.message);
    expect(warnings).toContain('rate limit store failed; refusing the request');
    expect(warnings).toContain('rate limit store failed; letting the request through');
  }, 20_000);
});
