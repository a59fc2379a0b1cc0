import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { parsePrometheusText, type PrometheusSample } from '../support/parse-prometheus.ts';
import { createTestProvider, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { ADMIN_TOKEN, CLIENT_TOKEN, jsonInit } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';

// GET /metrics on Node: Prometheus' text format (prom-client), read back with a parser of that
// format, moving with the traffic. Node only: Workers has no process to scrape.

let target: NodeTarget;
let provider: TestProvider;
beforeAll(async () => {
  target = await startTarget();
  provider = await createTestProvider(target, 'openai');
});
afterAll(() => target.close());

async function scrape(): Promise<PrometheusSample[]> {
  const response = await fetch(`${target.apiBase.replace('/api/v1', '')}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

/** The value of the one sample with this name and these labels (0 when the series does not exist yet). */
function value(samples: PrometheusSample[], name: string, labels: Record<string, string> = {}): number {
  const matching = samples.filter((sample) => sample.name === name && Object.entries(labels).every(([label, value]) => sample.labels[label] === value) && Object.keys(sample.labels).length === Object.keys(labels).length);
  expect(matching.length).toBeLessThanOrEqual(1);
  return Number(matching[0]?.value ?? 0);
}

const count = (samples: PrometheusSample[], name: string, labels: Record<string, string>) => value(samples, `${name}_count`, labels);

function chat(body: Record<string, unknown>) {
  return target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }], ...body }) });
}

describe('GET /metrics', () => {
  it('needs the management token', async () => {
    const root = target.apiBase.replace('/api/v1', '');
    expect((await fetch(`${root}/metrics`)).status).toBe(401);
    expect((await fetch(`${root}/metrics`, { headers: { authorization: `Bearer ${CLIENT_TOKEN}` } })).status).toBe(401);
  });

  it('sits behind the per-address rate limit, so admin-token guesses are counted (finding 6 of issue 25)', async () => {
    const limited = await startTarget({ RATE_LIMIT_MAX_REQUESTS: '3' });
    try {
      const root = limited.apiBase.replace('/api/v1', '');
      const guesses = [];
      for (let index = 0; index < 4; index++) guesses.push(await fetch(`${root}/metrics`, { headers: { authorization: `Bearer guess-${index}-0123456789abcdef` } }));
      expect(guesses.map((response) => response.status)).toEqual([401, 401, 401, 429]);
      expect((await guesses[3]!.json()).error.code).toBe('RATE_LIMITED');
      expect(guesses[0]!.headers.get('ratelimit-limit')).toBe('3');
      // The same bucket as the API: the right token is limited too once the address used it up.
      expect((await fetch(`${root}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(429);
      expect((await fetch(`${limited.apiBase}/providers`, { headers: { authorization: `Bearer ${CLIENT_TOKEN}` } })).status).toBe(429);
      // And the API description says so.
      const described = (await target.fetch('/openapi.json').then((response) => response.json())).paths['/metrics'].get;
      expect(Object.keys(described.responses)).toContain('429');
      expect(Object.keys(described.responses['200'].headers)).toContain('RateLimit-Limit');
    } finally {
      await limited.close();
    }
  });

  it('moves with traffic: requests by route and status, tokens, latency and time to first token, errors', async () => {
    const before = await scrape();
    const chatRoute = { route: '/api/v1/chat/completions', method: 'POST', status: '200' };
    await (await chat({ model: `${provider.name}/gpt-test` })).json();
    await readSseData(await chat({ model: `${provider.name}/gpt-test`, stream: true }));
    expect((await chat({ model: `${provider.name}/always-500@metrics` })).status).toBe(502);
    await target.fetch(`/providers/${provider.id}`);
    const after = await scrape();

    expect(value(after, 'gateway_http_requests_total', chatRoute) - value(before, 'gateway_http_requests_total', chatRoute)).toBe(2);
    const byId = { route: '/api/v1/providers/:id', method: 'GET', status: '200' };
    expect(value(after, 'gateway_http_requests_total', byId) - value(before, 'gateway_http_requests_total', byId)).toBe(1);
    const prompt = { provider: provider.name, model: 'gpt-test', kind: 'prompt' };
    const completion = { provider: provider.name, model: 'gpt-test', kind: 'completion' };
    expect(value(after, 'gateway_tokens_total', prompt) - value(before, 'gateway_tokens_total', prompt)).toBe(38);
    expect(value(after, 'gateway_tokens_total', completion) - value(before, 'gateway_tokens_total', completion)).toBe(12);
    const latency = { provider: provider.name, cached: 'false' };
    expect(count(after, 'gateway_chat_duration_seconds', latency) - count(before, 'gateway_chat_duration_seconds', latency)).toBe(3);
    const ttft = { provider: provider.name };
    expect(count(after, 'gateway_chat_time_to_first_token_seconds', ttft) - count(before, 'gateway_chat_time_to_first_token_seconds', ttft)).toBe(1);
    const errors = { provider: provider.name, code: 'PROVIDER_ERROR' };
    expect(value(after, 'gateway_upstream_errors_total', errors) - value(before, 'gateway_upstream_errors_total', errors)).toBe(1);
    // Process metrics come along (prom-client's defaults).
    expect(value(after, 'gateway_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('labels a provider named in any script, quotes and backslashes included, as a Prometheus parser reads it back', async () => {
    const name = `日本語 "プロバイダ" \\ 🤖 ${crypto.randomUUID().slice(0, 8)}`;
    const named = await createTestProvider(target, 'openai', { name });
    const answer = await (await chat({ model: `${name}/gpt-test` })).json();
    const after = await scrape();
    expect(value(after, 'gateway_tokens_total', { provider: name, model: 'gpt-test', kind: 'prompt' })).toBe(answer.usage.prompt_tokens);
    expect(count(after, 'gateway_chat_duration_seconds', { provider: named.name, cached: 'false' })).toBe(1);
  });

  it('keeps the model label bounded: 100 names per provider, then only listed models; the rest under "other"', async () => {
    const listed = 'listed-after-the-hundred';
    const bounded = await createTestProvider(target, 'openai', { customHeaders: { 'x-fake-models': listed } });
    // The provider's list, as GET /models fills the models cache.
    expect((await target.fetch(`/providers/${bounded.id}/models`)).status).toBe(200);
    const completionTokens = async (model: string) => {
      const response = await chat({ model: `${bounded.name}/${model}` });
      expect(response.status, model).toBe(200);
      return (await response.json()).usage.completion_tokens as number;
    };
    const own = Array.from({ length: 100 }, (_, index) => `own-${index}`);
    for (const model of own) await completionTokens(model);
    // Client-chosen names past the hundredth (the audit sent 420-character ones): no series of their own.
    let otherTokens = 0;
    for (let index = 0; index < 20; index++) otherTokens += await completionTokens(`${'x'.repeat(200)}-${index}`);
    await completionTokens(listed);
    await completionTokens('own-7');

    const samples = (await scrape()).filter((sample) => sample.name === 'gateway_tokens_total' && sample.labels.provider === bounded.name && sample.labels.kind === 'completion');
    expect(samples.map((sample) => sample.labels.model).sort()).toEqual([...own, listed, 'other'].sort());
    expect(value(samples, 'gateway_tokens_total', { provider: bounded.name, model: 'other', kind: 'completion' })).toBe(otherTokens);
    expect(otherTokens).toBeGreaterThan(0);
  });

  it('counts the streams being sent now', async () => {
    const model = `slow-20@metrics-${crypto.randomUUID().slice(0, 8)}`;
    const response = await chat({ model: `${provider.name}/${model}`, stream: true });
    const reader = response.body!.getReader();
    await reader.read();
    expect(value(await scrape(), 'gateway_open_streams')).toBe(1);
    await reader.cancel();
    for (let attempt = 0; attempt < 50 && !(await upstreamControl(target.upstreamUrl).streamProgress(model)).aborted; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (let attempt = 0; attempt < 50 && value(await scrape(), 'gateway_open_streams') !== 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(value(await scrape(), 'gateway_open_streams')).toBe(0);
  });

  it('counts requests by route and by the target that served or failed last', async () => {
    const spare = await createTestProvider(target, 'openai');
    const run = crypto.randomUUID().slice(0, 8);
    const name = `metrics-${run}`;
    const created = await target.fetch('/routes', jsonInit('POST', { name, strategy: 'lowest-latency', targets: [{ model: `${provider.name}/always-500@${run}` }, { model: `${spare.name}/gpt-test@${run}` }] }));
    expect(created.status).toBe(201);
    for (let index = 0; index < 3; index++) expect((await chat({ model: name })).status).toBe(200);
    const after = await scrape();
    expect(value(after, 'gateway_route_requests_total', { route: name, provider: spare.name, model: `gpt-test@${run}` })).toBe(3);
    // The failed attempts before the failover are not the request's record: the serving target is.
    expect(value(after, 'gateway_route_requests_total', { route: name, provider: provider.name, model: `always-500@${run}` })).toBe(0);
  });
});
