import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget } from '#target';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { adminHeaders, jsonInit, type Target } from '../support/target.ts';

// What requests cost (contract v1.2, "Cost") on every runtime and backend: each token kind at its
// own rate, from usage figures transcribed from the providers' documentation (the fake upstream's
// usage-<name> models, test/support/fake-upstream/scenarios.ts), on every route, streamed or not;
// the operator's pricing over the catalogue, the longest pattern, a cache hit, an unknown model.
// Each request uses an access key of its own, so GET /usage with that key is that request's row.

// Rates per million tokens, as the providers list them for gpt-4o and Claude Sonnet 4.5.
const OPENAI_RATES = { input: 2.5, output: 10, cachedInput: 1.25 };
const ANTHROPIC_RATES = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };
const PRICING = { 'usage-openai-*': OPENAI_RATES, 'usage-anthropic-*': ANTHROPIC_RATES };

let target: Target;
let providers: Record<'openai' | 'anthropic' | 'responses', TestProvider>;

beforeAll(async () => {
  target = await startTarget();
  const [openai, anthropic, responses] = await Promise.all([
    createTestProvider(target, 'openai', { pricing: PRICING }),
    createTestProvider(target, 'anthropic', { pricing: PRICING }),
    createTestProvider(target, 'openai', { pricing: PRICING, responsesApi: true }),
  ]);
  providers = { openai, anthropic, responses };
});
afterAll(() => target.close());

type Row = Record<string, unknown>;

/** Dollars for a sum of tokens × rates per million, to the nano-dollar as the ledger keeps them. */
const usd = (perMillion: number) => Math.round(perMillion * 1000) / 1e9;

async function newKey(): Promise<{ id: string; key: string }> {
  return (await target.fetch('/keys', jsonInit('POST', { name: `cost-${crypto.randomUUID().slice(0, 8)}` }))).json();
}

async function send(secret: string, path: string, body: Record<string, unknown>): Promise<Response> {
  const response = await target.fetch(path, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  await response.text();
  return response;
}

async function usageOf(secret: string, query = ''): Promise<Row[]> {
  const response = await target.fetch(`/usage${query}`, { headers: { authorization: `Bearer ${secret}` } });
  expect(response.status).toBe(200);
  return (await response.json()).data;
}

function row(promptTokens: number, completionTokens: number, cachedPromptTokens: number, cacheWriteTokens: number, reasoningTokens: number, costUsd: number, unpricedRequests = 0): Row {
  return { requests: 1, errors: 0, promptTokens, completionTokens, cachedPromptTokens, cacheWriteTokens, reasoningTokens, costUsd, unpricedRequests };
}

// Each documented usage, and what it costs at the rates above:
// OpenAI's prompt caching example: 86 uncached × 2.5 + 1,920 cached × 1.25 + 300 × 10 = $0.005615.
// OpenAI's reasoning example: 75 × 2.5 + 1,186 × 10 (1,024 of them reasoning) = $0.0120475.
// Anthropic's cache write: 21 × 3 + 188,086 written × 3.75 + 393 × 15 = $0.7112805.
// Anthropic's cache read: 21 × 3 + 188,086 read × 0.3 + 393 × 15 = $0.0623838.
const documented = {
  'usage-openai-cached': row(2006, 300, 1920, 0, 0, 0.005615),
  'usage-openai-reasoning': row(75, 1186, 0, 0, 1024, 0.0120475),
  'usage-anthropic-cache-write': row(188107, 393, 0, 188086, 0, 0.7112805),
  'usage-anthropic-cache-read': row(188107, 393, 188086, 0, 0, 0.0623838),
} as const;
type Documented = keyof typeof documented;

const routes = {
  chat: (model: string, stream: boolean) => ['/chat/completions', { model, stream, messages: [{ role: 'user', content: 'Hi' }] }] as const,
  messages: (model: string, stream: boolean) => ['/messages', { model, stream, max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] }] as const,
  responses: (model: string, stream: boolean) => ['/responses', { model, stream, input: 'Hi', store: false }] as const,
};

// Which documented usage each provider can report: an Anthropic upstream has no reasoning count
// and never reports OpenAI's figures; an OpenAI-protocol one reports cache writes as OpenRouter does.
const cases: Array<[keyof typeof routes, 'openai' | 'anthropic' | 'responses', Documented]> = [];
for (const route of Object.keys(routes) as Array<keyof typeof routes>) {
  for (const usage of Object.keys(documented) as Documented[]) {
    cases.push([route, 'openai', usage]);
    if (usage.startsWith('usage-anthropic')) cases.push([route, 'anthropic', usage]);
  }
}
for (const usage of ['usage-openai-cached', 'usage-openai-reasoning'] as const) cases.push(['responses', 'responses', usage]);

describe.each([false, true])('each token kind at its own rate (stream: %s)', (stream) => {
  it.each(cases)('POST /%s through the %s provider, %s', async (route, provider, usage) => {
    const key = await newKey();
    const [path, body] = routes[route](`${providers[provider].name}/${usage}`, stream);
    await send(key.key, path, body);
    expect(await usageOf(key.key)).toEqual([documented[usage]]);
  });
});

describe('prices', () => {
  it('come from the price catalogue when the provider sets none, and the provider\'s own pricing wins over it', async () => {
    // Named openai-… and anthropic-…: the catalogue knows them by name, since their base URLs are the fake upstream's.
    const openai = await createTestProvider(target, 'openai');
    const anthropic = await createTestProvider(target, 'anthropic');
    const key = await newKey();
    const chat = (model: string) => target.fetch('/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] }) });
    const gpt = (await (await chat(`${openai.name}/gpt-4o`)).json()).usage;
    const claude = (await (await chat(`${anthropic.name}/claude-sonnet-4-5`)).json()).usage;
    // The fake Anthropic upstream reports 21 uncached, 8 written and 64 read prompt tokens.
    expect(claude.prompt_tokens_details).toEqual({ cached_tokens: 64, cache_write_tokens: 8 });
    const rows = await usageOf(key.key, '?groupBy=model');
    expect(rows.map((entry) => [entry.model, entry.costUsd, entry.unpricedRequests])).toEqual([
      ['claude-sonnet-4-5', usd(21 * 3 + 8 * 3.75 + 64 * 0.3 + claude.completion_tokens * 15), 0],
      ['gpt-4o', usd(gpt.prompt_tokens * 2.5 + gpt.completion_tokens * 10), 0],
    ]);

    expect((await target.fetch(`/providers/${openai.id}`, jsonInit('PUT', { pricing: { 'gpt-4o': { input: 1, output: 2 } } }))).status).toBe(200);
    const later = await newKey();
    await send(later.key, '/chat/completions', { model: `${openai.name}/gpt-4o`, messages: [{ role: 'user', content: 'Hi' }] });
    expect((await usageOf(later.key))[0]!.costUsd).toBe(usd(gpt.prompt_tokens * 1 + gpt.completion_tokens * 2));
  });

  it('the longest pattern that matches wins', async () => {
    const provider = await createTestProvider(target, 'openai', {
      pricing: { '*': { input: 100, output: 100 }, 'usage-*': { input: 50, output: 50 }, 'usage-openai-*': OPENAI_RATES, 'usage-openai-c*d': { input: 1, output: 1 } },
    });
    const key = await newKey();
    await send(key.key, ...routes.chat(`${provider.name}/usage-openai-cached`, false));
    // usage-openai-c*d (16 characters) beats usage-openai-* (14): every token at $1 per million.
    expect((await usageOf(key.key))[0]!.costUsd).toBe(usd(2006 + 300));
    const other = await newKey();
    await send(other.key, ...routes.chat(`${provider.name}/usage-openai-reasoning`, false));
    expect((await usageOf(other.key))[0]!.costUsd).toBe(0.0120475);
  });

  it('an answer from the response cache costs 0', async () => {
    const key = await newKey();
    const body = { model: `${providers.openai.name}/usage-openai-cached`, messages: [{ role: 'user', content: `cache ${crypto.randomUUID()}` }] };
    const headers = { authorization: `Bearer ${key.key}`, 'content-type': 'application/json', 'x-gateway-cache-ttl': '60' };
    const first = await target.fetch('/chat/completions', { method: 'POST', headers, body: JSON.stringify(body) });
    expect(first.headers.get('x-gateway-cache-status')).toBe('MISS');
    await first.text();
    const second = await target.fetch('/chat/completions', { method: 'POST', headers, body: JSON.stringify(body) });
    expect(second.headers.get('x-gateway-cache-status')).toBe('HIT');
    await second.text();
    expect(await usageOf(key.key)).toEqual([{ ...documented['usage-openai-cached'], requests: 2 }]);
  });

  it('a model with no known price is recorded with no cost and counted, never priced at 0 silently', async () => {
    const provider = await createTestProvider(target, 'openai', { pricing: { 'priced-*': { input: 1, output: 1 } } });
    const key = await newKey();
    const response = await target.fetch('/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: `${provider.name}/no-such-model`, messages: [{ role: 'user', content: 'Hi' }] }) });
    const usage = (await response.json()).usage;
    expect(await usageOf(key.key)).toEqual([row(usage.prompt_tokens, usage.completion_tokens, 0, 0, 0, 0, 1)]);
  });

  it('GET /usage sums every grouping to the sum of its requests\' costs', async () => {
    const key = await newKey();
    const models = ['usage-openai-cached', 'usage-openai-reasoning', 'usage-anthropic-cache-write', 'usage-openai-cached'] as const;
    for (const model of models) await send(key.key, ...routes.chat(`${providers.openai.name}/${model}`, false));
    await send(key.key, ...routes.messages(`${providers.anthropic.name}/usage-anthropic-cache-read`, true));
    const costs = [...models.map((model) => documented[model].costUsd), documented['usage-anthropic-cache-read'].costUsd];
    const nanos = (value: unknown) => Math.round(Number(value) * 1e9);
    const total = costs.reduce((sum: number, cost) => sum + nanos(cost), 0);
    for (const groupBy of ['', '?groupBy=model', '?groupBy=provider', '?groupBy=day', '?groupBy=key,provider,model,day']) {
      const rows = await usageOf(key.key, groupBy);
      expect(rows.reduce((sum: number, entry) => sum + nanos(entry.costUsd), 0)).toBe(total);
      expect(rows.reduce((sum: number, entry) => sum + Number(entry.requests), 0)).toBe(5);
    }
    const byModel = await usageOf(key.key, '?groupBy=model');
    expect(byModel.find((entry) => entry.model === 'usage-openai-cached')).toMatchObject({ requests: 2, costUsd: 0.01123, cachedPromptTokens: 3840 });
  });
});

describe('a budget in dollars', () => {
  // gpt-4o's rates; the documented cached request costs $0.005615 (above). A request's worst case is
  // its prompt's estimate (a quarter of its body's bytes) at the input rate plus its max_tokens at the output rate.
  const worstUsd = (body: Record<string, unknown> & { max_tokens: number }) => usd(Math.ceil(new TextEncoder().encode(JSON.stringify(body)).length / 4) * OPENAI_RATES.input + body.max_tokens * OPENAI_RATES.output);
  let priced: TestProvider;
  beforeAll(async () => {
    priced = await createTestProvider(target, 'openai', { pricing: { 'usage-openai-*': OPENAI_RATES, 'slow-*': OPENAI_RATES } });
  });

  async function keyWith(budget: Record<string, unknown>): Promise<{ id: string; key: string }> {
    const response = await target.fetch('/keys', jsonInit('POST', { name: `dollars-${crypto.randomUUID().slice(0, 8)}`, budget }));
    expect(response.status).toBe(201);
    return response.json();
  }
  const chat = (secret: string, body: Record<string, unknown>) =>
    target.fetch('/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('stops the key at the request whose worst case, at its model\'s prices, would pass it; nothing sent; spent on the key', async () => {
    const key = await keyWith({ usd: 0.02, period: 'day' });
    const body = { model: `${priced.name}/usage-openai-cached@${key.id}`, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1000 };
    // $0 + worst (about $0.01005) fits; $0.005615 + worst fits; $0.01123 + worst passes $0.02.
    expect((await chat(key.key, body)).status).toBe(200);
    expect((await chat(key.key, body)).status).toBe(200);
    const refused = await chat(key.key, body);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { budget: { usd: 0.02, period: 'day' }, usedUsd: 0.01123, reservedUsd: 0, requestedUsd: worstUsd(body) } });
    expect((await upstreamRequestsFor(target, priced)).filter((request) => request.body.includes(key.id))).toHaveLength(2);
    // A smaller answer's worst case still fits: $0.01123 + about $0.00305.
    expect((await chat(key.key, { ...body, max_tokens: 300 })).status).toBe(200);
    const stored = await (await target.fetch(`/keys/${key.id}`, { headers: adminHeaders })).json();
    expect(stored.budget).toEqual({ usd: 0.02, period: 'day' });
    expect(stored.spent).toEqual({ usd: 0.016845, tokens: 3 * (2006 + 300) });
    const session = await (await target.fetch('/session', { headers: { authorization: `Bearer ${key.key}` } })).json();
    expect(session.budget).toEqual({ usd: 0.02, period: 'day', spent: { usd: 0.016845, tokens: 3 * (2006 + 300) } });
  });

  it('with a token budget beside it, goes over neither', async () => {
    const key = await keyWith({ usd: 100, tokens: 2500, period: 'month' });
    const body = { model: `${priced.name}/usage-openai-cached@${key.id}`, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 300 };
    expect((await chat(key.key, body)).status).toBe(200);
    // 2,306 tokens used: the tokens refuse the next one, the dollars would not.
    const refused = await chat(key.key, body);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { used: 2306, usedUsd: 0.005615 } });
  });

  it('lets a request already running complete, and refuses the next', async () => {
    const key = await keyWith({ usd: 1, period: 'total' });
    const running = await chat(key.key, { model: `${priced.name}/slow-100@${key.id}`, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(running.status).toBe(200);
    // Its budget cut below what it already holds while it streams.
    expect((await target.fetch(`/keys/${key.id}`, jsonInit('PUT', { budget: { usd: 0.000001, period: 'total' } }))).status).toBe(200);
    const text = await running.text();
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect((await chat(key.key, { model: `${priced.name}/usage-openai-cached@${key.id}`, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1 })).status).toBe(429);
  });

  it('is refused without a unit, or with a dollar amount that is not above 0', async () => {
    for (const budget of [{ period: 'day' }, { usd: 0, period: 'day' }, { usd: -1, period: 'day' }, { usd: 'twenty', period: 'day' }]) {
      const response = await target.fetch('/keys', jsonInit('POST', { name: 'no-unit', budget }));
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('VALIDATION_ERROR');
    }
  });
});
