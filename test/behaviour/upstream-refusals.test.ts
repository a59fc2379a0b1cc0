import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { RECORDED_REFUSALS, type RecordedRefusalName } from '../support/fake-upstream/recorded-refusals.ts';
import { CANARY_KEY, createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { CLIENT_TOKEN, jsonInit, type Target } from '../support/target.ts';

// Errors a client can act on (contract v1.2, "What new users ran into"), on both runtimes: a
// provider's refusal of the request itself keeps its status as PROVIDER_REJECTED; a refused key
// stays 502 PROVIDER_ERROR; both, and the gateway's own refusals, say `x-should-retry: false`, so
// the official SDKs send them once; the provider's message reaches the client with keys masked and
// its links intact. The error bodies are what each service really answered (recorded-refusals.ts).

let target: Target;
let openai: TestProvider;
let anthropic: TestProvider;

beforeAll(async () => {
  target = await startBehaviourTarget();
  [openai, anthropic] = await Promise.all([createTestProvider(target, 'openai'), createTestProvider(target, 'anthropic')]);
});
afterAll(() => target.close());

const hi = [{ role: 'user', content: 'Hi' }];
const unique = (model: string) => `${model}@${crypto.randomUUID().slice(0, 8)}`;

function chat(provider: TestProvider, model: string) {
  return target.fetch('/chat/completions', jsonInit('POST', { model: `${provider.name}/${model}`, messages: hi, max_tokens: 16 }, { authorization: `Bearer ${CLIENT_TOKEN}`, 'content-type': 'application/json' }));
}

const callsFor = async (provider: TestProvider, model: string) => (await upstreamRequestsFor(target, provider)).filter((request) => request.body.includes(`"${model}"`)).length;

describe('a refused key: 502 PROVIDER_ERROR, the provider\'s message with the key masked and its link kept', () => {
  const refusedKeys: Array<[RecordedRefusalName, 'openai' | 'anthropic', string]> = [
    ['openai-401', 'openai', 'Incorrect API key provided: [REDACTED]. You can find your API key at https://platform.openai.com/account/api-keys.'],
    ['anthropic-401', 'anthropic', 'invalid x-api-key'],
    ['zai-401', 'openai', 'Authentication Failed'],
    ['zai-401-token', 'openai', 'Authorization Token非法，请确认Authorization Token正确传递。'],
    ['openrouter-401', 'openai', 'No auth credentials found'],
    ['groq-401', 'openai', 'Invalid API Key'],
  ];

  it.each(refusedKeys)('%s', async (name, protocol, message) => {
    const provider = protocol === 'openai' ? openai : anthropic;
    const model = unique(`refuse:${name}`);
    const response = await chat(provider, model);
    expect(response.status).toBe(502);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(await response.json()).toEqual({ error: { code: 'PROVIDER_ERROR', message, details: { upstreamStatus: RECORDED_REFUSALS[name].status } } });
    expect(await callsFor(provider, model)).toBe(1);
  });
});

describe('a request the provider refused: its status, PROVIDER_REJECTED, its message', () => {
  const refusals: Array<[RecordedRefusalName, number, string]> = [
    // Gemini answers a wrong key with 400, in its own shape.
    ['gemini-400-key', 400, 'API key not valid. Please pass a valid API key.'],
    ['openai-400-context', 400, 'This model\'s maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens. Please reduce the length of the messages.'],
    ['openai-404-model', 404, 'The model `gpt-5-nano-x` does not exist or you do not have access to it.'],
    ['openai-413', 413, 'Request too large for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Requested 41235.'],
    ['vllm-422', 422, 'body.messages: Field required'],
  ];

  it.each(refusals)('%s', async (name, status, message) => {
    const model = unique(`refuse:${name}`);
    const response = await chat(openai, model);
    expect(response.status).toBe(status);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(await response.json()).toEqual({ error: { code: 'PROVIDER_REJECTED', message, details: { upstreamStatus: status } } });
    expect(await callsFor(openai, model)).toBe(1);
  });

  it('never shows the stored key, whatever the provider echoes', async () => {
    const response = await chat(openai, unique('refuse:openai-401'));
    expect(await response.text()).not.toContain(CANARY_KEY);
  });
});

describe('the gateway\'s own refusals say a retry cannot help; a failure a retry may fix does not', () => {
  it.each([
    ['400', () => target.fetch('/chat/completions', jsonInit('POST', { messages: hi }, { authorization: `Bearer ${CLIENT_TOKEN}`, 'content-type': 'application/json' })), 400],
    ['401', () => target.fetch('/providers', { headers: { authorization: 'Bearer wrong-token-0123456789' } }), 401],
    ['404', () => target.fetch('/providers/no-such-provider'), 404],
    ['409', () => target.fetch('/providers', jsonInit('POST', { name: openai.name, baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: CANARY_KEY, routingMethod: 'openai' })), 409],
  ])('%s', async (_, request, status) => {
    const response = await request();
    expect(response.status).toBe(status);
    expect(response.headers.get('x-should-retry')).toBe('false');
  });

  it('a provider that keeps failing with 5xx', async () => {
    const response = await chat(openai, unique('always-500'));
    expect(response.status).toBe(502);
    expect(response.headers.get('x-should-retry')).toBeNull();
  });
});

describe('through the official SDKs', () => {
  /** The SDK's calls to the gateway, counted. */
  function countingFetch() {
    const counter = { calls: 0 };
    const fetch: typeof globalThis.fetch = (input, init) => {
      counter.calls++;
      return target.rawFetch(input, init);
    };
    return { counter, fetch };
  }

  it('openai: a refused request goes out once, a retryable one is retried', async () => {
    const { counter, fetch } = countingFetch();
    const client = new OpenAI({ apiKey: CLIENT_TOKEN, baseURL: target.apiBase, fetch, maxRetries: 1 });
    for (const [name, status] of [['openai-401', 502], ['openai-400-context', 400], ['openai-404-model', 404]] as const) {
      const model = unique(`refuse:${name}`);
      counter.calls = 0;
      const error = await client.chat.completions.create({ model: `${openai.name}/${model}`, messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect({ name, status: (error as InstanceType<typeof OpenAI.APIError>).status, calls: counter.calls, upstream: await callsFor(openai, model) }).toEqual({ name, status, calls: 1, upstream: 1 });
    }
    const model = unique('always-500');
    counter.calls = 0;
    const error = await client.chat.completions.create({ model: `${openai.name}/${model}`, messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    // Twice to the gateway, which tried the provider three times each time (UPSTREAM_MAX_RETRIES=2).
    expect({ calls: counter.calls, upstream: await callsFor(openai, model) }).toEqual({ calls: 2, upstream: 6 });
  });

  it('@anthropic-ai/sdk on /messages: a refused key goes out once, a retryable failure is retried', async () => {
    const { counter, fetch } = countingFetch();
    const client = new Anthropic({ baseURL: target.apiBase.replace(/\/v1$/, ''), authToken: CLIENT_TOKEN, fetch, maxRetries: 1 });
    const refused = unique('refuse:anthropic-401');
    const error = await client.messages.create({ model: `${anthropic.name}/${refused}`, max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect({ status: (error as InstanceType<typeof Anthropic.APIError>).status, calls: counter.calls, upstream: await callsFor(anthropic, refused) }).toEqual({ status: 502, calls: 1, upstream: 1 });

    counter.calls = 0;
    const failing = unique('always-500');
    const retried = await client.messages.create({ model: `${anthropic.name}/${failing}`, max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }).catch((caught: unknown) => caught);
    expect((retried as InstanceType<typeof Anthropic.APIError>).status).toBe(502);
    expect({ calls: counter.calls, upstream: await callsFor(anthropic, failing) }).toEqual({ calls: 2, upstream: 6 });
  });
});
