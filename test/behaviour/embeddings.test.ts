import { createOpenAI } from '@ai-sdk/openai';
import { embed, embedMany } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createGatewayClient } from 'llm-gateway-client';
import { fakeEmbedding, fakeEmbeddingTokens } from '../support/fake-upstream/fake-embedding.ts';
import { CANARY_KEY, createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { CLIENT_TOKEN, jsonInit, type Target } from '../support/target.ts';

// POST /api/v1/embeddings: OpenAI's Embeddings API passed through to openai-protocol providers,
// through the official openai SDK (floats, base64, the SDK's own default), the AI SDK's
// embedding model and the typed client,
// with access keys (scope, rate limit, budget) and the usage ledger, on both runtimes.

let target: Target;
let client: OpenAI;
let openai: TestProvider;
let anthropic: TestProvider;

beforeAll(async () => {
  target = await startBehaviourTarget();
  client = new OpenAI({ apiKey: CLIENT_TOKEN, baseURL: target.apiBase, fetch: target.rawFetch, maxRetries: 0 });
  openai = await createTestProvider(target, 'openai');
  anthropic = await createTestProvider(target, 'anthropic');
});
afterAll(() => target.close());

const json = { 'content-type': 'application/json' };
const model = () => `${openai.name}/text-embedding-3-small`;
const sentTo = async (provider: TestProvider) => (await upstreamRequestsFor(target, provider)).length;

async function lastUpstreamRequest(provider: TestProvider) {
  const [received] = (await upstreamRequestsFor(target, provider)).slice(-1);
  return { ...received!, json: JSON.parse(received!.body) };
}

/** Little-endian float32s in base64, as OpenAI sends them. */
function decodeBase64Floats(text: string): number[] {
  const bytes = Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
  return Array.from(new Float32Array(bytes.buffer));
}

async function createKey(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const response = await target.fetch('/keys', jsonInit('POST', { name: `embeddings-${crypto.randomUUID().slice(0, 8)}`, ...body }));
  expect(response.status).toBe(201);
  return response.json();
}

const embedAs = (secret: string, body: Record<string, unknown>) => target.fetch('/embeddings', jsonInit('POST', body, { ...json, authorization: `Bearer ${secret}` }));

describe('through the official openai SDK', () => {
  it('answers embeddings.create with floats: the provider\'s vectors, usage and model, the request passed on with the upstream model', async () => {
    const input = ['The food was delicious and the waiter was kind', 'Hi'];
    const { data: answer, response } = await client.embeddings.create({ model: model(), input, encoding_format: 'float', dimensions: 6, user: 'user-42' }).withResponse();
    expect(response.headers.get('x-gateway-provider')).toBe(openai.name);
    const tokens = fakeEmbeddingTokens(input[0]!) + fakeEmbeddingTokens(input[1]!);
    expect(answer).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: fakeEmbedding(input[0]!, 6) },
        { object: 'embedding', index: 1, embedding: fakeEmbedding(input[1]!, 6) },
      ],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
    const sent = await lastUpstreamRequest(openai);
    expect(sent.path).toBe('/openai/v1/embeddings');
    expect(sent.headers.authorization).toBe(`Bearer ${CANARY_KEY}`);
    expect(sent.json).toEqual({ model: 'text-embedding-3-small', input, encoding_format: 'float', dimensions: 6, user: 'user-42' });
  });

  it('passes base64 through as the provider wrote it, and the SDK\'s own default (base64, decoded by the SDK) gives the same floats', async () => {
    const asked = await client.embeddings.create({ model: model(), input: 'Hello there', encoding_format: 'base64' });
    const [first] = asked.data;
    expect(typeof first!.embedding).toBe('string');
    expect(decodeBase64Floats(first!.embedding as unknown as string)).toEqual(fakeEmbedding('Hello there'));

    const byDefault = await client.embeddings.create({ model: model(), input: 'Hello there' });
    expect((await lastUpstreamRequest(openai)).json.encoding_format).toBe('base64');
    expect(byDefault.data[0]!.embedding).toEqual(fakeEmbedding('Hello there'));
  });

  it('takes token arrays as input', async () => {
    const answer = await client.embeddings.create({ model: model(), input: [[1, 2, 3], [40, 50]], encoding_format: 'float' });
    expect(answer.data.map((item) => item.embedding)).toEqual([fakeEmbedding([1, 2, 3]), fakeEmbedding([40, 50])]);
    expect(answer.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
  });
});

describe('through the AI SDK', () => {
  it('embed() and embedMany() with @ai-sdk/openai\'s embedding model', async () => {
    const gateway = createOpenAI({ baseURL: target.apiBase, apiKey: CLIENT_TOKEN, fetch: target.rawFetch });
    const one = await embed({ model: gateway.embedding(model()), value: 'sunny day at the beach', maxRetries: 0 });
    expect(one.embedding).toEqual(fakeEmbedding('sunny day at the beach'));
    expect(one.usage).toEqual({ tokens: fakeEmbeddingTokens('sunny day at the beach') });
    const many = await embedMany({ model: gateway.embedding(model()), values: ['rainy afternoon', 'snow'], maxRetries: 0 });
    expect(many.embeddings).toEqual([fakeEmbedding('rainy afternoon'), fakeEmbedding('snow')]);
    expect((await lastUpstreamRequest(openai)).json).toEqual({ model: 'text-embedding-3-small', input: ['rainy afternoon', 'snow'], encoding_format: 'float' });
  });
});

describe('through llm-gateway-client', () => {
  it('embeddings() returns the embedding list', async () => {
    const gateway = createGatewayClient({ baseUrl: target.apiBase, token: CLIENT_TOKEN, fetch: target.rawFetch });
    const answer = await gateway.embeddings({ model: model(), input: 'Hi', encoding_format: 'float' });
    expect(answer.data).toEqual([{ object: 'embedding', index: 0, embedding: fakeEmbedding('Hi') }]);
    expect(answer.usage).toEqual({ prompt_tokens: 1, total_tokens: 1 });
  });
});

describe('refused before anything is sent', () => {
  it('an anthropic provider (it has no embeddings API): 400 VALIDATION_ERROR naming model', async () => {
    const before = await sentTo(anthropic);
    const response = await target.fetch('/embeddings', jsonInit('POST', { model: `${anthropic.name}/claude-test`, input: 'Hi' }, json));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'VALIDATION_ERROR', message: `${anthropic.name} speaks the anthropic protocol, which has no embeddings API`, details: { field: 'model' } } });
    expect(await sentTo(anthropic)).toBe(before);
  });

  it('bad input, fallbacks and unknown providers, each naming its field', async () => {
    const before = await sentTo(openai);
    for (const [body, status, field] of [
      [{ model: model(), input: '' }, 400, 'input'],
      [{ model: model(), input: [] }, 400, 'input'],
      [{ model: model() }, 400, 'input'],
      [{ model: model(), input: 'Hi', encoding_format: 'binary' }, 400, 'encoding_format'],
      [{ model: model(), input: 'Hi', dimensions: 0 }, 400, 'dimensions'],
      [{ model: model(), input: 'Hi', models: [model()] }, 400, 'models'],
      [{ model: 'no-such-provider/text-embedding-3-small', input: 'Hi' }, 404, 'model'],
    ] as const) {
      const response = await target.fetch('/embeddings', jsonInit('POST', body, json));
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect((await response.json()).error.details.field, JSON.stringify(body)).toBe(field);
    }
    expect(await sentTo(openai)).toBe(before);
  });
});

describe('access keys and the ledger', () => {
  it('records each request\'s prompt tokens under the key that made it', async () => {
    const key = await createKey({ models: [`${openai.name}/text-embedding-*`] });
    expect((await embedAs(key.key, { model: model(), input: ['one two three', 'four'] })).status).toBe(200);
    expect((await embedAs(key.key, { model: model(), input: 'five six' })).status).toBe(200);
    const usage = await (await target.fetch('/usage?groupBy=key,provider,model', { headers: { authorization: `Bearer ${key.key}` } })).json();
    expect(usage.data).toEqual([
      // The price catalogue knows the model (a provider named openai-…): 6 prompt tokens at OpenAI's $0.02 per million.
      { key: key.id, provider: openai.id, providerName: openai.name, model: 'text-embedding-3-small', requests: 2, errors: 0, promptTokens: 3 + 1 + 2, completionTokens: 0, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0.00000012, unpricedRequests: 0 },
    ]);
  });

  it('are held to their scope: 403, nothing sent', async () => {
    const key = await createKey({ models: [`${openai.name}/text-embedding-*`] });
    const before = await sentTo(openai);
    const response = await embedAs(key.key, { model: `${openai.name}/other-embedder`, input: 'Hi' });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'FORBIDDEN', message: `This access key may not use ${openai.name}/other-embedder` } });
    expect(await sentTo(openai)).toBe(before);
  });

  it('stop at their budget (429 QUOTA_EXCEEDED) and their rate limit (429 RATE_LIMITED), nothing sent', async () => {
    // An embeddings request reserves its input alone (a quarter of the body's bytes, no answer): a
    // budget of exactly the first request's worst case lets it through, and its 1 recorded token
    // leaves too little for the second, longer one.
    const first = { model: model(), input: 'Hi' };
    const second = { model: model(), input: 'one two three four five six' };
    const worstCase = (body: Record<string, unknown>) => Math.ceil(new TextEncoder().encode(JSON.stringify(body)).length / 4);
    const budgeted = await createKey({ budget: { tokens: worstCase(first), period: 'day' } });
    expect((await embedAs(budgeted.key, first)).status).toBe(200);
    const limited = await createKey({ rateLimit: { requests: 1, windowMs: 60_000 } });
    expect((await embedAs(limited.key, { model: model(), input: 'Hi' })).status).toBe(200);
    const before = await sentTo(openai);
    const overBudget = await embedAs(budgeted.key, second);
    expect(overBudget.status).toBe(429);
    expect((await overBudget.json()).error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { budget: { tokens: worstCase(first), period: 'day' }, used: 1, reserved: 0, requested: worstCase(second) } });
    const overLimit = await embedAs(limited.key, { model: model(), input: 'Hi' });
    expect(overLimit.status).toBe(429);
    expect((await overLimit.json()).error.code).toBe('RATE_LIMITED');
    expect(await sentTo(openai)).toBe(before);
  });
});

describe('provider failures', () => {
  it('keeps a provider\'s 429 (with its Retry-After) and makes its 500 a 502; both are in the ledger as errors, no key in any answer', async () => {
    const key = await createKey({});
    const limited = await embedAs(key.key, { model: `${openai.name}/always-429@embeddings`, input: 'Hi' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    const limitedText = await limited.text();
    expect(JSON.parse(limitedText).error).toMatchObject({ code: 'RATE_LIMITED', details: { upstreamStatus: 429 } });
    const failed = await embedAs(key.key, { model: `${openai.name}/always-500@embeddings`, input: 'Hi' });
    expect(failed.status).toBe(502);
    const failedText = await failed.text();
    expect(JSON.parse(failedText).error).toMatchObject({ code: 'PROVIDER_ERROR', details: { upstreamStatus: 500 } });
    expect(limitedText + failedText).not.toContain(CANARY_KEY);
    const usage = await (await target.fetch('/usage', { headers: { authorization: `Bearer ${key.key}` } })).json();
    expect(usage.data).toEqual([{ requests: 2, errors: 2, promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 0 }]);
  });
});
