import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createTestProvider, upstreamRequestsFor, CANARY_KEY, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { CLIENT_TOKEN, type Target } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';

// The chat proxy through the official openai SDK and raw HTTP, against a fake upstream that
// speaks the OpenAI and Anthropic wire formats, on both runtimes.

let target: Target;
let client: OpenAI;
const providers: Record<'openai' | 'anthropic', TestProvider> = {} as never;

beforeAll(async () => {
  target = await startBehaviourTarget();
  client = new OpenAI({ apiKey: CLIENT_TOKEN, baseURL: target.apiBase, fetch: target.rawFetch, maxRetries: 0 });
  providers.openai = await createTestProvider(target, 'openai', { customHeaders: { 'X-Title': 'behaviour suite' } });
  providers.anthropic = await createTestProvider(target, 'anthropic', { customHeaders: { 'X-Title': 'behaviour suite' } });
});
afterAll(() => target.close());

const protocols = ['openai', 'anthropic'] as const;
const defaultModel = { openai: 'gpt-test', anthropic: 'claude-test' } as const;
const model = (protocol: (typeof protocols)[number], name: string = defaultModel[protocol]) => `${providers[protocol].name}/${name}`;

function chat(body: Record<string, unknown>, init: RequestInit = {}) {
  return target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...init });
}

describe.each(protocols)('through the openai SDK, %s protocol', (protocol) => {
  it('answers a non-streamed request as a chat.completion', async () => {
    const completion = await client.chat.completions.create({ model: model(protocol), messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]!.message).toMatchObject({ role: 'assistant', content: 'Hello from the fake upstream! 👋' });
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) });
  });

  it('streams text deltas, the finish reason and a usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: model(protocol),
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finishReason: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      text += chunk.choices[0]?.delta.content ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from the fake upstream! 👋');
    expect(finishReason).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
  });

  it('streams tool calls that assemble to the same arguments', async () => {
    const final = await client.chat.completions
      .stream({ model: model(protocol, 'tools'), messages: [{ role: 'user', content: 'Weather and time in Paris?' }], tools: weatherTools })
      .finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    expect(calls.map((call) => call.type === 'function' && call.function.name)).toEqual(['get_weather', 'get_time']);
    expect(calls.map((call) => call.type === 'function' && JSON.parse(call.function.arguments))).toEqual([{ city: 'Paris' }, { timezone: 'Europe/Paris' }]);
    expect(calls.every((call) => typeof call.id === 'string' && call.id.length > 0)).toBe(true);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('answers non-streamed tool calls', async () => {
    const completion = await client.chat.completions.create({ model: model(protocol, 'tools'), messages: [{ role: 'user', content: 'Weather?' }], tools: weatherTools });
    const calls = completion.choices[0]!.message.tool_calls!;
    expect(calls).toHaveLength(2);
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('reassembles events split across TCP writes, multi-byte characters and CRLF line endings', async () => {
    for (const scenario of ['split', 'crlf']) {
      const stream = await client.chat.completions.create({ model: model(protocol, scenario), messages: [{ role: 'user', content: 'Hi' }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text.length, scenario).toBeGreaterThan(0);
      expect(text, scenario).not.toContain('\uFFFD');
    }
  });
});

const weatherTools: OpenAI.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
  { type: 'function', function: { name: 'get_time', description: 'Time in a timezone', parameters: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] } } },
];

describe('what the upstream receives', () => {
  it('openai: the body as sent minus provider_id, the key as a bearer token, custom headers, no client token', async () => {
    const response = await chat({ provider_id: providers.openai.id, model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2, seed: 7, unknown_field: { kept: true } });
    expect(response.status).toBe(200);
    const [received] = (await upstreamRequestsFor(target, providers.openai)).slice(-1);
    expect(received!.path).toBe('/openai/v1/chat/completions');
    expect(received!.headers.authorization).toBe(`Bearer ${CANARY_KEY}`);
    expect(received!.headers['x-title']).toBe('behaviour suite');
    expect(JSON.stringify(received!.headers)).not.toContain(CLIENT_TOKEN);
    expect(JSON.parse(received!.body)).toEqual({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2, seed: 7, unknown_field: { kept: true } });
  });

  it('anthropic: a Messages body with system and max_tokens, x-api-key and anthropic-version, no Authorization', async () => {
    const response = await chat({ model: model('anthropic'), messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], stop: ['END'] });
    expect(response.status).toBe(200);
    const [received] = (await upstreamRequestsFor(target, providers.anthropic)).slice(-1);
    expect(received!.path).toBe('/anthropic/v1/messages');
    expect(received!.headers['x-api-key']).toBe(CANARY_KEY);
    expect(received!.headers['anthropic-version']).toBe('2023-06-01');
    expect(received!.headers.authorization).toBeUndefined();
    expect(received!.headers['x-title']).toBe('behaviour suite');
    const body = JSON.parse(received!.body);
    expect(body).toMatchObject({ model: 'claude-test', system: 'Be brief.', max_tokens: 4096, stop_sequences: ['END'] });
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('routes "<provider>/<model with slashes>" and sends only the model part', async () => {
    const response = await chat({ model: `${providers.openai.name}/meta-llama/llama-3-8b`, messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(200);
    const [received] = (await upstreamRequestsFor(target, providers.openai)).slice(-1);
    expect(JSON.parse(received!.body).model).toBe('meta-llama/llama-3-8b');
  });

  it('sends nothing upstream for an unknown provider or a model without one', async () => {
    const before = (await upstreamControl(target.upstreamUrl).requests()).length;
    const unknown = await chat({ model: 'no-such-provider/gpt-test', messages: [{ role: 'user', content: 'Hi' }] });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('NOT_FOUND');
    const bare = await chat({ model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }] });
    expect(bare.status).toBe(400);
    expect((await bare.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'model' } });
    const noMessages = await chat({ model: model('openai'), messages: [] });
    expect(noMessages.status).toBe(400);
    expect((await noMessages.json()).error.details.field).toBe('messages');
    const unknownId = await chat({ provider_id: 'nope', model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }] });
    expect(unknownId.status).toBe(404);
    expect((await upstreamControl(target.upstreamUrl).requests()).length).toBe(before);
  });
});

describe('streaming over SSE', () => {
  it('sends the SSE headers that keep proxies from buffering', async () => {
    const response = await chat({ model: model('openai'), messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const data = await readSseData(response);
    expect(data.at(-1)).toBe('[DONE]');
  });

  it('adds [DONE] when an OpenAI-compatible upstream leaves it out', async () => {
    const data = await readSseData(await chat({ model: model('openai', 'no-done'), messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(data.at(-1)).toBe('[DONE]');
    expect(data.filter((item) => item === '[DONE]')).toHaveLength(1);
  });

  it.each(protocols)('%s: turns an error after the 200 into one error event and no [DONE]', async (protocol) => {
    const data = await readSseData(await chat({ model: model(protocol, 'error-after-200'), messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(data).not.toContain('[DONE]');
    const last = JSON.parse(data.at(-1)!);
    expect(last).toEqual({ error: { code: 'PROVIDER_ERROR', message: expect.any(String), details: expect.anything() } });
  });

  it('anthropic: a stream cut off before message_stop ends with an error event', async () => {
    const data = await readSseData(await chat({ model: model('anthropic', 'truncated'), messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(data).not.toContain('[DONE]');
    expect(JSON.parse(data.at(-1)!).error.code).toBe('PROVIDER_ERROR');
  });

  it.each(protocols)('%s: a client that aborts after 3 chunks closes the upstream stream within a second', async (protocol) => {
    const scenario = 'slow';
    const controller = new AbortController();
    const response = await chat({ model: model(protocol, scenario), messages: [{ role: 'user', content: 'Hi' }], stream: true }, { signal: controller.signal });
    const reader = response.body!.getReader();
    let chunks = 0;
    while (chunks < 3) {
      const { done } = await reader.read();
      if (done) break;
      chunks++;
    }
    controller.abort();
    await reader.cancel().catch(() => undefined);
    const deadline = Date.now() + 1000;
    let progress = await upstreamControl(target.upstreamUrl).streamProgress(scenario);
    while (!progress.aborted && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      progress = await upstreamControl(target.upstreamUrl).streamProgress(scenario);
    }
    expect(progress.aborted).toBe(true);
    expect(progress.chunksWritten).toBeLessThan(20);
  });
});

describe('upstream failures', () => {
  it('answers 504 UPSTREAM_TIMEOUT when the upstream sends no headers in time', async () => {
    const started = Date.now();
    const response = await chat({ model: model('openai', 'hang-headers'), messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(504);
    expect((await response.json()).error.code).toBe('UPSTREAM_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('ends a stream that goes silent with an UPSTREAM_TIMEOUT error event', async () => {
    const data = await readSseData(await chat({ model: model('openai', 'hang-body'), messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(data).not.toContain('[DONE]');
    expect(JSON.parse(data.at(-1)!).error.code).toBe('UPSTREAM_TIMEOUT');
  });

  it('retries a 500 and succeeds', async () => {
    const provider = await createTestProvider(target, 'openai');
    const response = await chat({ model: `${provider.name}/flaky-500`, messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(200);
    expect(await upstreamRequestsFor(target, provider)).toHaveLength(2);
  });

  it('honours Retry-After before retrying a 429', async () => {
    const provider = await createTestProvider(target, 'openai');
    const started = Date.now();
    const response = await chat({ model: `${provider.name}/retry-after`, messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(await upstreamRequestsFor(target, provider)).toHaveLength(2);
  });

  it('keeps a 429 with a long Retry-After as RATE_LIMITED for the client, without retrying', async () => {
    const provider = await createTestProvider(target, 'openai');
    const response = await chat({ model: `${provider.name}/always-429`, messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect((await response.json()).error).toMatchObject({ code: 'RATE_LIMITED', details: { upstreamStatus: 429 } });
    expect(await upstreamRequestsFor(target, provider)).toHaveLength(1);
  });

  it('gives up after the configured retries with 502 PROVIDER_ERROR', async () => {
    const provider = await createTestProvider(target, 'openai');
    const response = await chat({ model: `${provider.name}/always-500`, messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(502);
    expect((await response.json()).error).toMatchObject({ code: 'PROVIDER_ERROR', details: { upstreamStatus: 500 } });
    expect(await upstreamRequestsFor(target, provider)).toHaveLength(3);
  });

  it('does not follow a redirect', async () => {
    const port = new URL(target.upstreamUrl).port;
    const provider = await createTestProvider(target, 'openai', { customHeaders: { 'x-redirect-port': port } });
    const response = await chat({ model: `${provider.name}/redirect`, messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(502);
    expect((await response.json()).error.code).toBe('PROVIDER_ERROR');
    const paths = (await upstreamControl(target.upstreamUrl).requests()).map((request) => request.path);
    expect(paths).not.toContain('/stolen');
  });

  it.each(protocols)('%s: a 401 that echoes the key reaches the client as PROVIDER_ERROR without the key', async (protocol) => {
    const wrongKey = 'sk-wrong-CANARY-0123456789abcdefghij';
    const provider = await createTestProvider(target, protocol, { apiKey: wrongKey });
    const response = await chat({ model: `${provider.name}/${defaultModel[protocol]}`, messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).not.toContain('CANARY');
    expect(text).not.toContain('0123456789abcdefghij');
    expect(JSON.parse(text).error).toMatchObject({ code: 'PROVIDER_ERROR', details: { upstreamStatus: 401 } });
  });

  it('refuses a non-streamed answer larger than the cap with 502', async () => {
    const response = await chat({ model: model('openai', 'big'), messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(502);
    expect((await response.json()).error.code).toBe('PROVIDER_ERROR');
  });

  it('answers 502 for an answer that is not JSON', async () => {
    const response = await chat({ model: model('openai', 'not-json'), messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(502);
    expect((await response.json()).error.code).toBe('PROVIDER_ERROR');
  });

  it('answers 502 when nothing listens at the provider address', async () => {
    const provider = await createTestProvider(target, 'openai', { baseUrl: 'http://127.0.0.1:9/v1' });
    const response = await chat({ model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(502);
    expect((await response.json()).error.code).toBe('PROVIDER_ERROR');
  });
});

describe('models and provider checks', () => {
  it.each(protocols)('%s: lists models, fresh first, then cached, and refreshes on demand', async (protocol) => {
    const provider = await createTestProvider(target, protocol);
    const first = await (await target.fetch(`/providers/${provider.id}/models`)).json();
    expect(first).toEqual({ data: expect.arrayContaining([expect.objectContaining({ id: expect.any(String) })]), cached: false, fetchedAt: expect.any(String) });
    const second = await (await target.fetch(`/providers/${provider.id}/models`)).json();
    expect(second.cached).toBe(true);
    const refreshed = await target.fetch(`/providers/${provider.id}/models/refresh`, { method: 'POST', headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } });
    expect(refreshed.status).toBe(200);
    expect((await refreshed.json()).cached).toBe(false);
  });

  it('lists every provider\'s models as <provider name>/<model> for OpenAI clients', async () => {
    const list = await client.models.list();
    const ids = list.data.map((entry) => entry.id);
    expect(ids).toContain(`${providers.openai.name}/gpt-test`);
    expect(ids.some((id) => id.startsWith(`${providers.anthropic.name}/`))).toBe(true);
    expect(list.data.every((entry) => entry.object === 'model')).toBe(true);
  });

  it('reports health and test results in the body, ok or not', async () => {
    const healthy = await (await target.fetch(`/providers/${providers.openai.id}/health`)).json();
    expect(healthy).toEqual({ status: 'ok', latencyMs: expect.any(Number), checkedAt: expect.any(String), circuit: 'closed' });
    const admin = { authorization: 'Bearer test-admin-token-0123456789abcdef' };
    const tested = await (await target.fetch(`/providers/${providers.anthropic.id}/test`, { method: 'POST', headers: admin })).json();
    expect(tested).toEqual({ ok: true, latencyMs: expect.any(Number) });

    const wrong = await createTestProvider(target, 'openai', { apiKey: 'sk-wrong-CANARY-health-0000000000' });
    const unhealthy = await target.fetch(`/providers/${wrong.id}/health`);
    expect(unhealthy.status).toBe(200);
    const body = await unhealthy.json();
    expect(body).toMatchObject({ status: 'error', error: { code: 'PROVIDER_ERROR' } });
    expect(JSON.stringify(body)).not.toContain('CANARY');
    const failedTest = await (await target.fetch(`/providers/${wrong.id}/test`, { method: 'POST', headers: admin })).json();
    expect(failedTest).toMatchObject({ ok: false, error: { code: 'PROVIDER_ERROR' } });

    const unreachable = await createTestProvider(target, 'openai', { baseUrl: 'http://127.0.0.1:9/v1' });
    expect(await (await target.fetch(`/providers/${unreachable.id}/health`)).json()).toMatchObject({ status: 'error' });
  });
});

describe('the key never leaves', () => {
  it('appears in no log line of this run', () => {
    for (const line of target.logs()) expect(line).not.toContain('CANARY');
  });
});
