import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startClockTarget } from '#target';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { jsonInit, type Target } from '../support/target.ts';

// Fallbacks, the circuit breaker and the response cache (contract v1.1, "Routing"), on both
// runtimes, against the fake upstream on 127.0.0.1. The gateway runs on a clock the tests move,
// so the breaker's 30 s and the cache's TTL pass without waiting.

const HELLO = 'Hello from the fake upstream! 👋';
let clock = Date.parse('2026-12-01T12:00:00.000Z');
let target: Target;
let primary: TestProvider;
let secondary: TestProvider;
let tertiary: TestProvider;

beforeAll(async () => {
  target = await startClockTarget(() => clock);
  [primary, secondary, tertiary] = await Promise.all([createTestProvider(target, 'openai'), createTestProvider(target, 'anthropic'), createTestProvider(target, 'openai')]);
});
afterAll(() => target.close());
beforeEach(() => {
  clock += 60 * 60 * 1000;
});

const hi = [{ role: 'user', content: 'Hi' }];
const unique = () => crypto.randomUUID().slice(0, 8);

function chat(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function createKey(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const response = await target.fetch('/keys', jsonInit('POST', body));
  expect(response.status).toBe(201);
  return response.json();
}

const chatRequestsTo = async (provider: TestProvider) => (await upstreamRequestsFor(target, provider)).filter((request) => request.method === 'POST').length;

describe('fallbacks', () => {
  it.each([
    ['a 5xx', 'always-500'],
    ['a 429', 'always-429'],
    ['a timeout', 'hang-headers'],
  ])('serve the next model after %s, and say which provider served', async (_, scenario) => {
    const response = await chat({ model: `${primary.name}/${scenario}@${unique()}`, models: [`${secondary.name}/claude-test`], messages: hi });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-provider')).toBe(secondary.name);
    const body = await response.json();
    expect(body.choices[0].message.content).toBe(HELLO);
    expect(body.model).toBe('claude-test');
  });

  it('serve the next model after a network error', async () => {
    const unreachable = await createTestProvider(target, 'openai', { baseUrl: 'http://127.0.0.1:9/v1' });
    const response = await chat({ model: `${unreachable.name}/gpt-test`, models: [`${secondary.name}/claude-test`], messages: hi });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-provider')).toBe(secondary.name);
  });

  it('fail at once on any other 4xx: the next model is not tried', async () => {
    const wrongKey = await createTestProvider(target, 'openai', { apiKey: 'sk-wrong-CANARY-fallback-000000000' });
    const before = await chatRequestsTo(tertiary);
    const response = await chat({ model: `${wrongKey.name}/gpt-test`, models: [`${tertiary.name}/gpt-test`], messages: hi });
    expect(response.status).toBe(502);
    expect((await response.json()).error).toMatchObject({ code: 'PROVIDER_ERROR', details: { upstreamStatus: 401 } });
    expect(await chatRequestsTo(tertiary)).toBe(before);
  });

  it('do not retry elsewhere once the stream has started', async () => {
    const before = await chatRequestsTo(tertiary);
    const response = await chat({ model: `${primary.name}/error-after-200@${unique()}`, models: [`${tertiary.name}/gpt-test`], messages: hi, stream: true });
    expect(response.status).toBe(200);
    const events = await readSseData(response);
    expect(events.at(-1)).toBe(JSON.stringify({ error: { code: 'PROVIDER_ERROR', message: 'Upstream overloaded', details: { upstreamStatus: 200 } } }));
    expect(await chatRequestsTo(tertiary)).toBe(before);
  });

  it('give the last error when every model fails', async () => {
    const response = await chat({ model: `${primary.name}/always-500@${unique()}`, models: [`${tertiary.name}/always-429@${unique()}`], messages: hi });
    expect(response.status).toBe(429);
    expect((await response.json()).error).toMatchObject({ code: 'RATE_LIMITED', details: { upstreamStatus: 429 } });
  });

  it('never forward `models` upstream', async () => {
    const marker = unique();
    await chat({ model: `${primary.name}/always-500@${marker}`, models: [`${tertiary.name}/gpt-test@${marker}`], messages: hi });
    const bodies = [...(await upstreamRequestsFor(target, primary)), ...(await upstreamRequestsFor(target, tertiary))]
      .filter((request) => request.body.includes(marker))
      .map((request) => JSON.parse(request.body));
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    for (const body of bodies) {
      expect(body).not.toHaveProperty('models');
      expect(body).not.toHaveProperty('provider_id');
    }
  });

  it('refuse more than 5, and name an unknown one, before anything is sent', async () => {
    const six = Array.from({ length: 6 }, () => `${tertiary.name}/gpt-test`);
    const tooMany = await chat({ model: `${primary.name}/gpt-test`, models: six, messages: hi });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.details.field).toBe('models');
    const unknown = await chat({ model: `${primary.name}/gpt-test`, models: [`${tertiary.name}/gpt-test`, 'no-such-provider/x'], messages: hi });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.details.field).toBe('models[1]');
  });

  it('skip a fallback the access key may not use, and record the provider that served', async () => {
    const key = await createKey({ name: `fallback-${unique()}`, providers: [primary.id, tertiary.id] });
    const beforeSecondary = await chatRequestsTo(secondary);
    const response = await chat(
      { model: `${primary.name}/always-500@${unique()}`, models: [`${secondary.name}/claude-test`, `${tertiary.name}/gpt-test`], messages: hi },
      { authorization: `Bearer ${key.key}` },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-provider')).toBe(tertiary.name);
    expect(await chatRequestsTo(secondary)).toBe(beforeSecondary);
    const usage = await (await target.fetch(`/usage?groupBy=provider`, { headers: { authorization: `Bearer ${key.key}` } })).json();
    expect(usage.data).toEqual([{ provider: tertiary.id, providerName: tertiary.name, requests: 1, errors: 0, promptTokens: 19, completionTokens: 6, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 1 }]);
  });
});

describe('circuit breaker', () => {
  it('opens after 5 failures in a row, skips the provider, then lets one trial through after 30 s', async () => {
    const flaky = await createTestProvider(target, 'openai');
    const health = async () => (await (await target.fetch(`/providers/${flaky.id}/health`)).json()).circuit;
    const failing = { model: `${flaky.name}/always-500@${unique()}`, messages: hi };
    for (let index = 0; index < 5; index++) expect((await chat(failing)).status).toBe(502);
    expect(await health()).toBe('open');

    // The only target is open: its usual error at once, nothing sent.
    const sent = await chatRequestsTo(flaky);
    const refused = await chat({ model: `${flaky.name}/gpt-test`, messages: hi });
    expect(refused.status).toBe(502);
    expect((await refused.json()).error).toMatchObject({ code: 'PROVIDER_ERROR', details: { upstreamStatus: 500, circuit: 'open' } });
    // In a chain it is skipped.
    const skipped = await chat({ model: `${flaky.name}/gpt-test`, models: [`${tertiary.name}/gpt-test`], messages: hi });
    expect(skipped.headers.get('x-gateway-provider')).toBe(tertiary.name);
    expect(await chatRequestsTo(flaky)).toBe(sent);

    clock += 29_999;
    expect(await health()).toBe('open');
    clock += 1;
    expect(await health()).toBe('half-open');
    // A failed trial opens it for another 30 s.
    expect((await chat(failing)).status).toBe(502);
    expect(await health()).toBe('open');
    clock += 30_000;
    // A successful trial closes it.
    const trial = await chat({ model: `${flaky.name}/gpt-test`, messages: hi });
    expect(trial.status).toBe(200);
    expect(await health()).toBe('closed');
  });

  it('is not opened by failures that are the request\'s own', async () => {
    const wrongKey = await createTestProvider(target, 'openai', { apiKey: 'sk-wrong-CANARY-breaker-000000000' });
    for (let index = 0; index < 6; index++) expect((await chat({ model: `${wrongKey.name}/gpt-test`, messages: hi })).status).toBe(502);
    expect((await (await target.fetch(`/providers/${wrongKey.id}/health`)).json()).circuit).toBe('closed');
  });
});

describe('response cache', () => {
  const ttl = { 'x-gateway-cache-ttl': '60' };
  const question = () => ({ model: `${tertiary.name}/gpt-test`, messages: [{ role: 'user', content: `echo: ${unique()}` }] });

  it('answers an identical request from the cache within the TTL: MISS, HIT, then MISS after expiry', async () => {
    const request = question();
    const before = await chatRequestsTo(tertiary);
    const first = await chat(request, ttl);
    expect(first.headers.get('x-gateway-cache-status')).toBe('MISS');
    const firstBody = await first.text();
    clock += 59_999;
    const second = await chat(request, ttl);
    expect(second.headers.get('x-gateway-cache-status')).toBe('HIT');
    expect(second.headers.get('x-gateway-provider')).toBe(tertiary.name);
    expect(await second.text()).toBe(firstBody);
    expect(await chatRequestsTo(tertiary)).toBe(before + 1);
    clock += 1;
    const expired = await chat(request, ttl);
    expect(expired.headers.get('x-gateway-cache-status')).toBe('MISS');
    expect(await chatRequestsTo(tertiary)).toBe(before + 2);
  });

  it('replays a cached stream as SSE with the same text, and as JSON', async () => {
    const request = { ...question(), stream: true };
    const original = await chat(request, ttl);
    expect(original.headers.get('x-gateway-cache-status')).toBe('MISS');
    const originalText = textOf(await readSseData(original));
    const replayed = await chat(request, ttl);
    expect(replayed.headers.get('x-gateway-cache-status')).toBe('HIT');
    expect(replayed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readSseData(replayed);
    expect(events.at(-1)).toBe('[DONE]');
    expect(textOf(events)).toBe(originalText);
    expect(originalText).toBe(request.messages[0]!.content);
    const asJson = await chat({ ...request, stream: false }, ttl);
    expect(asJson.headers.get('x-gateway-cache-status')).toBe('HIT');
    expect((await asJson.json()).choices[0].message).toEqual({ role: 'assistant', content: originalText });
  });

  it('bypasses the cache for Cache-Control: no-cache, and says nothing when caching is off', async () => {
    const request = question();
    await chat(request, ttl);
    const bypass = await chat(request, { ...ttl, 'cache-control': 'no-cache' });
    expect(bypass.headers.get('x-gateway-cache-status')).toBe('BYPASS');
    const off = await chat(request);
    expect(off.status).toBe(200);
    expect(off.headers.get('x-gateway-cache-status')).toBeNull();
  });

  it('stores neither errors nor broken streams', async () => {
    const failing = { model: `${tertiary.name}/always-500@${unique()}`, messages: hi };
    expect((await chat(failing, ttl)).headers.get('x-gateway-cache-status')).toBe('MISS');
    expect((await chat(failing, ttl)).headers.get('x-gateway-cache-status')).toBe('MISS');
    const broken = { model: `${tertiary.name}/error-after-200@${unique()}`, messages: hi, stream: true };
    for (let index = 0; index < 2; index++) {
      const response = await chat(broken, ttl);
      expect(response.headers.get('x-gateway-cache-status')).toBe('MISS');
      expect((await readSseData(response)).at(-1)).toContain('"error"');
    }
    const truncated = { model: `${secondary.name}/truncated@${unique()}`, messages: hi, stream: true };
    await readSseData(await chat(truncated, ttl));
    expect((await chat(truncated, ttl)).headers.get('x-gateway-cache-status')).toBe('MISS');
  });

  it('keeps callers apart, and records hits as cached with no tokens', async () => {
    const [alice, bob] = await Promise.all([createKey({ name: `alice-${unique()}` }), createKey({ name: `bob-${unique()}` })]);
    const request = question();
    const as = (key: { key: string }) => ({ ...ttl, authorization: `Bearer ${key.key}` });
    expect((await chat(request, as(alice))).headers.get('x-gateway-cache-status')).toBe('MISS');
    expect((await chat(request, as(bob))).headers.get('x-gateway-cache-status')).toBe('MISS');
    expect((await chat(request, as(alice))).headers.get('x-gateway-cache-status')).toBe('HIT');
    expect((await chat(request, ttl)).headers.get('x-gateway-cache-status')).toBe('MISS');
    const usage = await (await target.fetch('/usage', { headers: { authorization: `Bearer ${alice.key}` } })).json();
    const content = request.messages[0]!.content;
    expect(usage.data).toEqual([{ requests: 2, errors: 0, promptTokens: 19, completionTokens: content.split(' ').length, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 1 }]);
  });

  it('refuses a TTL outside 1 to 86,400 seconds', async () => {
    for (const value of ['0', '86401', 'soon', '1.5']) {
      const response = await chat(question(), { 'x-gateway-cache-ttl': value });
      expect(response.status, value).toBe(400);
      expect((await response.json()).error.details.field).toBe('X-Gateway-Cache-TTL');
    }
  });
});

function textOf(events: string[]): string {
  return events
    .filter((data) => data !== '[DONE]')
    .map((data) => (JSON.parse(data) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '')
    .join('');
}

