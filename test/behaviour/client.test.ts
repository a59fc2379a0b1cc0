import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import packageJson from '../../package.json' with { type: 'json' };
import { createGatewayClient, GatewayError, type ChatCompletionChunk, type GatewayClient } from 'llm-gateway-client';
import { HELLO_TEXT, SPLIT_TEXT } from '../support/fake-upstream/scenarios.ts';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { ADMIN_TOKEN, CLIENT_TOKEN, type Target } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';

// llm-gateway-client against the real gateway (Node server or the Worker in workerd) and the fake
// upstream: every method with a server route on main, and every way a call can fail.

const CANARY_KEY = 'sk-CANARY-client-7e6d5c4b3a291807';

let target: Target;
/** The admin token passes every route, management included. */
let gateway: GatewayClient;
const providers: Record<'openai' | 'anthropic', TestProvider> = {} as never;

beforeAll(async () => {
  target = await startBehaviourTarget();
  gateway = createGatewayClient({ baseUrl: target.apiBase, token: ADMIN_TOKEN, fetch: target.rawFetch });
  providers.openai = await createTestProvider(target, 'openai');
  providers.anthropic = await createTestProvider(target, 'anthropic');
});
afterAll(() => target.close());

const protocols = ['openai', 'anthropic'] as const;
const defaultModel = { openai: 'gpt-test', anthropic: 'claude-test' } as const;
const model = (protocol: (typeof protocols)[number], name: string = defaultModel[protocol]) => `${providers[protocol].name}/${name}`;
const hi = [{ role: 'user', content: 'Hi' }];
/** A model name of its own (the fake upstream ignores what follows `@`), so parallel runs keep apart. */
const unique = (scenario: string) => `${scenario}@${crypto.randomUUID().slice(0, 8)}`;

/** The thrown value, which must be a GatewayError. */
async function gatewayErrorFrom(call: () => Promise<unknown>): Promise<GatewayError> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected the call to fail');
}

/** Reads a stream to its end: the text of every delta, the chunks, and what it threw. */
async function drain(stream: AsyncIterable<ChatCompletionChunk>) {
  const chunks: ChatCompletionChunk[] = [];
  let thrown: unknown;
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    thrown = error;
  }
  const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
  return { chunks, text, thrown };
}

const fields = (error: GatewayError) => ({ status: error.status, code: error.code, message: error.message, details: error.details, retryAfterSeconds: error.retryAfterSeconds });

async function waitForUpstreamAbort(upstreamModel: string) {
  const control = upstreamControl(target.upstreamUrl);
  const deadline = Date.now() + 1000;
  let progress = await control.streamProgress(upstreamModel);
  while (!progress.aborted && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    progress = await control.streamProgress(upstreamModel);
  }
  return progress;
}

describe('health and model discovery', () => {
  it('health() answers without a token', async () => {
    const anonymous = createGatewayClient({ baseUrl: target.apiBase, fetch: target.rawFetch });
    const health = await anonymous.health();
    expect(health).toEqual({ status: 'ok', timestamp: expect.any(String), version: packageJson.version });
    expect(Math.abs(Date.parse(health.timestamp) - Date.now())).toBeLessThan(60_000);
  });

  it('models() lists every provider\'s models as <provider name>/<model>', async () => {
    const list = await gateway.models();
    expect(list.object).toBe('list');
    expect(list.data).toContainEqual({ id: `${providers.openai.name}/gpt-test`, object: 'model', created: 1715367049, owned_by: providers.openai.name });
    expect(list.data.filter((entry) => entry.owned_by === providers.openai.name).map((entry) => entry.id)).toEqual(
      ['gpt-test', 'tools', 'gpt-4o-mini', 'o3-mini', 'text-embedding-3-small'].map((id) => `${providers.openai.name}/${id}`),
    );
  });
});

describe('providers', () => {
  const input = () => ({
    name: `client-${crypto.randomUUID().slice(0, 8)}`,
    baseUrl: `${target.upstreamUrl}/openai/v1/`,
    apiKey: CANARY_KEY,
    routingMethod: 'openai' as const,
    customHeaders: { 'X-Title': 'client tests' },
  });

  it('create, get, list, update and delete, never returning the key', async () => {
    const given = input();
    const created = await gateway.providers.create(given);
    expect(created).toEqual({
      id: expect.any(String),
      name: given.name,
      baseUrl: `${target.upstreamUrl}/openai/v1`,
      routingMethod: 'openai',
      customHeaders: { 'X-Title': 'client tests' },
      apiKeyHint: '…1807',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await gateway.providers.get(created.id)).toEqual(created);
    expect(await gateway.providers.list()).toContainEqual(created);

    const updated = await gateway.providers.update(created.id, { name: `${given.name}-renamed`, apiKey: 'sk-CANARY-rotated-000000004321' });
    expect(updated).toEqual({ ...created, name: `${given.name}-renamed`, apiKeyHint: '…4321', updatedAt: expect.any(String) });

    expect(await gateway.providers.delete(created.id)).toBeUndefined();
    const gone = await gatewayErrorFrom(() => gateway.providers.get(created.id));
    expect(fields(gone)).toEqual({ status: 404, code: 'NOT_FOUND', message: `Provider "${created.id}" not found`, details: undefined, retryAfterSeconds: undefined });
  });

  it('encodes ids into the path', async () => {
    const error = await gatewayErrorFrom(() => gateway.providers.get('a/b?c#d'));
    expect(fields(error)).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'Provider "a/b?c#d" not found' });
  });

  it('health() and test() report a working provider, and test({ model }) makes a chat call with it', async () => {
    const health = await gateway.providers.health(providers.openai.id);
    expect(health).toMatchObject({ status: 'ok', latencyMs: expect.any(Number) });
    expect(health.error).toBeUndefined();
    expect(Math.abs(Date.parse(health.checkedAt) - Date.now())).toBeLessThan(60_000);

    expect(await gateway.providers.test(providers.anthropic.id)).toEqual({ ok: true, latencyMs: expect.any(Number) });
    const provider = await createTestProvider(target, 'openai');
    expect(await gateway.providers.test(provider.id, { model: 'gpt-test' })).toEqual({ ok: true, latencyMs: expect.any(Number) });
    const [call] = await upstreamRequestsFor(target, provider);
    expect(call!.path).toBe('/openai/v1/chat/completions');
    expect(JSON.parse(call!.body)).toMatchObject({ model: 'gpt-test', max_tokens: 1 });
  });

  it('health() and test() report a provider that refuses the key in the answer, not as a throw', async () => {
    const wrong = await createTestProvider(target, 'openai', { apiKey: 'sk-wrong-CANARY-client-0000000000' });
    expect(await gateway.providers.health(wrong.id)).toMatchObject({ status: 'error', error: { code: 'PROVIDER_ERROR', details: { upstreamStatus: 401 } } });
    expect(await gateway.providers.test(wrong.id)).toMatchObject({ ok: false, error: { code: 'PROVIDER_ERROR', details: { upstreamStatus: 401 } } });
  });

  it('models() is fetched fresh, then cached; refreshModels() fetches again', async () => {
    const provider = await createTestProvider(target, 'openai');
    const expected = [
      { id: 'gpt-test', object: 'model', created: 1715367049, owned_by: 'system' },
      { id: 'tools', object: 'model', created: 1721172741, owned_by: 'system' },
      { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
      { id: 'o3-mini', object: 'model', created: 1737146383, owned_by: 'system' },
      { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
    ];
    expect(await gateway.providers.models(provider.id)).toEqual({ data: expected, cached: false, fetchedAt: expect.any(String) });
    expect(await gateway.providers.models(provider.id)).toEqual({ data: expected, cached: true, fetchedAt: expect.any(String) });
    expect(await gateway.providers.refreshModels(provider.id)).toEqual({ data: expected, cached: false, fetchedAt: expect.any(String) });
    expect((await upstreamRequestsFor(target, provider)).map((request) => request.path)).toEqual(['/openai/v1/models', '/openai/v1/models']);
  });
});

describe('chat()', () => {
  it.each(protocols)('%s: answers with a chat.completion', async (protocol) => {
    const completion = await gateway.chat({ model: model(protocol), messages: hi });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices).toEqual([expect.objectContaining({ index: 0, message: expect.objectContaining({ role: 'assistant', content: HELLO_TEXT }), finish_reason: 'stop' })]);
    expect(completion.usage).toMatchObject({ completion_tokens: 6 });
  });

  it('sends the request as given, with provider_id kept from the upstream', async () => {
    const provider = await createTestProvider(target, 'openai');
    const completion = await gateway.chat({ provider_id: provider.id, model: 'gpt-test', messages: [{ role: 'user', content: 'echo: client' }], temperature: 0.5 });
    expect(completion.choices[0]!.message.content).toBe('echo: client');
    const [received] = await upstreamRequestsFor(target, provider);
    expect(JSON.parse(received!.body)).toEqual({ model: 'gpt-test', messages: [{ role: 'user', content: 'echo: client' }], temperature: 0.5 });
  });

  it('refuses stream: true before sending anything', async () => {
    const provider = await createTestProvider(target, 'openai');
    const request = { model: `${provider.name}/gpt-test`, messages: hi, stream: true };
    // @ts-expect-error: chat() does not take stream: true, streamChat() does
    const error = await gatewayErrorFrom(() => gateway.chat(request));
    expect(fields(error)).toEqual({
      status: 0,
      code: 'VALIDATION_ERROR',
      message: 'chat() answers with one chat.completion: use streamChat() for stream: true',
      details: { field: 'stream' },
      retryAfterSeconds: undefined,
    });
    expect(await upstreamRequestsFor(target, provider)).toEqual([]);
  });

  it('hands the answer\'s headers to onResponse before the body is read', async () => {
    const seen: unknown[] = [];
    await gateway.chat({ model: model('openai'), messages: hi }, { onResponse: (info) => seen.push(info) });
    // No cache status: caching is off for this request.
    expect(seen).toEqual([{ status: 200, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), provider: providers.openai.name, cacheStatus: null }]);
  });
});

describe('streamChat()', () => {
  it.each(protocols)('%s: yields typed chunks to [DONE]: the text, the finish reason, a usage chunk', async (protocol) => {
    const { chunks, text, thrown } = await drain(gateway.streamChat({ model: model(protocol), messages: hi, stream_options: { include_usage: true } }));
    expect(thrown).toBeUndefined();
    expect(text).toBe(HELLO_TEXT);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)).toEqual(['stop']);
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toMatchObject({ completion_tokens: 6 });
  });

  it('forces stream: true', async () => {
    const provider = await createTestProvider(target, 'openai');
    const { text } = await drain(gateway.streamChat({ model: `${provider.name}/gpt-test`, messages: hi, stream: false }));
    expect(text).toBe(HELLO_TEXT);
    const [received] = await upstreamRequestsFor(target, provider);
    expect(JSON.parse(received!.body).stream).toBe(true);
  });

  it.each(protocols)('%s: streams tool calls whose pieces assemble to the arguments', async (protocol) => {
    const { chunks } = await drain(gateway.streamChat({ model: model(protocol, 'tools'), messages: [{ role: 'user', content: 'Weather?' }], tools: weatherTools }));
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const call = (calls[delta.index] ??= { id: '', name: '', arguments: '' });
        call.id += delta.id ?? '';
        call.name += delta.function?.name ?? '';
        call.arguments += delta.function?.arguments ?? '';
      }
    }
    expect(calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([['get_weather', { city: 'Paris' }], ['get_time', { timezone: 'Europe/Paris' }]]);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)).toEqual(['tool_calls']);
  });

  it.each([
    ['gpt-test', HELLO_TEXT],
    ['split', SPLIT_TEXT],
  ])('reads %s when every byte arrives on its own and lines end in CRLF', async (scenario, expected) => {
    const bytewise = createGatewayClient({ baseUrl: target.apiBase, token: ADMIN_TOKEN, fetch: oneByteCrlfFetch(target.rawFetch) });
    const { text, thrown } = await drain(bytewise.streamChat({ model: model('openai', scenario), messages: hi }));
    expect(thrown).toBeUndefined();
    expect(text).toBe(expected);
  });

  it('ends a no-done stream normally: the gateway adds the [DONE] the upstream left out', async () => {
    const { text, thrown } = await drain(gateway.streamChat({ model: model('openai', 'no-done'), messages: hi }));
    expect(thrown).toBeUndefined();
    expect(text).toBe(HELLO_TEXT);
  });

  it('openai: a truncated upstream stream (no finish_reason, no [DONE]) arrives as the gateway\'s error event', async () => {
    const { text, thrown } = await drain(gateway.streamChat({ model: model('openai', 'truncated'), messages: hi }));
    expect(text).toBe('Hello from');
    expect(fields(thrown as GatewayError)).toEqual({
      status: 200,
      code: 'PROVIDER_ERROR',
      message: 'The provider\'s stream ended before its answer was complete',
      details: { truncated: true },
      retryAfterSeconds: undefined,
    });
  });
});

describe('messages(), streamMessages(), responses(), streamResponses()', () => {
  it.each(protocols)('answer in Anthropic\'s and OpenAI Responses\' formats whatever the provider speaks (%s)', async (protocol) => {
    const message = await gateway.messages({ model: model(protocol), max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    expect(message).toMatchObject({ type: 'message', content: [{ type: 'text', text: HELLO_TEXT }], stop_reason: 'end_turn' });
    const events = [];
    for await (const event of gateway.streamMessages({ model: model(protocol), max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] })) events.push(event);
    expect(events[0]!.type).toBe('message_start');
    expect(events.at(-1)).toEqual({ type: 'message_stop' });
    expect(events.filter((event) => event.type === 'content_block_delta').map((event) => (event.delta as { text: string }).text).join('')).toBe(HELLO_TEXT);

    const response = await gateway.responses({ model: model(protocol), input: 'Hi', store: false });
    expect(response).toMatchObject({ object: 'response', status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text: HELLO_TEXT }] }] });
    const responseEvents = [];
    for await (const event of gateway.streamResponses({ model: model(protocol), input: 'Hi', store: false })) responseEvents.push(event);
    expect(responseEvents[0]!.type).toBe('response.created');
    expect(responseEvents.at(-1)!.type).toBe('response.completed');
    expect(responseEvents.map((event) => event.sequence_number)).toEqual(responseEvents.map((_event, index) => index));
  });

  it('throw the routes\' errors as GatewayError with the gateway\'s code, before and after the stream started', async () => {
    const refused = await gatewayErrorFrom(() => gateway.messages({ model: 'no-such-provider/x', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] }));
    expect(fields(refused)).toEqual({ status: 404, code: 'NOT_FOUND', message: 'No provider named "no-such-provider"', details: { field: 'model' }, retryAfterSeconds: undefined });
    const midMessages = await gatewayErrorFrom(async () => {
      for await (const _event of gateway.streamMessages({ model: model('openai', 'error-after-200'), max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] }));
    });
    expect([midMessages.code, midMessages.message]).toEqual(['PROVIDER_ERROR', 'Upstream overloaded']);
    const passedOn = await gatewayErrorFrom(async () => {
      for await (const _event of gateway.streamMessages({ model: model('anthropic', 'error-after-200'), max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] }));
    });
    expect([passedOn.code, passedOn.message]).toEqual(['PROVIDER_ERROR', 'Overloaded']);
    const midResponses = await gatewayErrorFrom(async () => {
      for await (const _event of gateway.streamResponses({ model: model('openai', 'error-after-200'), input: 'Hi' }));
    });
    expect([midResponses.code, midResponses.message]).toEqual(['PROVIDER_ERROR', 'Upstream overloaded']);
  });
});

describe('failures', () => {
  it('401 UNAUTHORIZED for a wrong token, without the token in the error', async () => {
    const wrongToken = 'wrong-token-CANARY-0123456789abcdef';
    const client = createGatewayClient({ baseUrl: target.apiBase, token: wrongToken, fetch: target.rawFetch });
    const error = await gatewayErrorFrom(() => client.providers.list());
    expect(fields(error)).toEqual({ status: 401, code: 'UNAUTHORIZED', message: 'Invalid bearer token', details: undefined, retryAfterSeconds: undefined });
    expect(error.name).toBe('GatewayError');
    expect(`${error.stack} ${JSON.stringify(error)}`).not.toContain('CANARY');
  });

  it('401 for the client token on a management route', async () => {
    const client = createGatewayClient({ baseUrl: target.apiBase, token: CLIENT_TOKEN, fetch: target.rawFetch });
    expect((await client.providers.list()).map((provider) => provider.id)).toContain(providers.openai.id);
    const error = await gatewayErrorFrom(() => client.providers.create({ name: 'x', baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: CANARY_KEY, routingMethod: 'openai' }));
    expect(fields(error)).toMatchObject({ status: 401, code: 'UNAUTHORIZED', message: 'Invalid admin token' });
  });

  it('400 VALIDATION_ERROR naming the field in details', async () => {
    const error = await gatewayErrorFrom(() => gateway.providers.create({ name: 'a/b', baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: CANARY_KEY, routingMethod: 'openai' }));
    const issue = 'must not contain "/": the part of a model before the first "/" names the provider';
    expect(fields(error)).toEqual({
      status: 400,
      code: 'VALIDATION_ERROR',
      message: `Invalid name: ${issue}`,
      details: { field: 'name', issue, issues: [{ field: 'name', issue }] },
      retryAfterSeconds: undefined,
    });
    const chat = await gatewayErrorFrom(() => gateway.chat({ model: 'gpt-test', messages: hi }));
    expect(fields(chat)).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', details: { field: 'model' } });
  });

  it('429 RATE_LIMITED with Retry-After as retryAfterSeconds, from chat() and from streamChat()', async () => {
    const provider = await createTestProvider(target, 'openai');
    const request = { model: `${provider.name}/${unique('always-429')}`, messages: hi };
    // The message is the upstream's, as the gateway scrubbed it: the client hands it on unchanged.
    const raw = await target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    const { error: sent } = await raw.json();
    expect(raw.headers.get('retry-after')).toBe('30');
    const expected = { status: 429, code: 'RATE_LIMITED', message: sent.message, details: { upstreamStatus: 429 }, retryAfterSeconds: 30 };
    expect(sent.message).toMatch(/^Rate limit reached for always-429@[0-9a-f]{8} in organization org-fakeupstream /);
    expect(fields(await gatewayErrorFrom(() => gateway.chat(request)))).toEqual(expected);
    const streamed = await drain(gateway.streamChat(request));
    expect(streamed.chunks).toEqual([]);
    expect(streamed.thrown).toBeInstanceOf(GatewayError);
    expect(fields(streamed.thrown as GatewayError)).toEqual(expected);
  });

  it('502 PROVIDER_ERROR with the upstream status in details', async () => {
    const provider = await createTestProvider(target, 'openai');
    const error = await gatewayErrorFrom(() => gateway.chat({ model: `${provider.name}/${unique('always-500')}`, messages: hi }));
    expect(fields(error)).toEqual({
      status: 502,
      code: 'PROVIDER_ERROR',
      message: 'The server had an error while processing your request. Sorry about that!',
      details: { upstreamStatus: 500 },
      retryAfterSeconds: undefined,
    });
  });

  it.each([
    ['openai', 'Hello from', { status: 200, code: 'PROVIDER_ERROR', message: 'Upstream overloaded', details: { upstreamStatus: 200 } }],
    ['anthropic', 'Hello from', { status: 200, code: 'PROVIDER_ERROR', message: 'Overloaded', details: { type: 'overloaded_error' } }],
  ] as const)('%s: an error event after the 200 is thrown after the chunks before it', async (protocol, before, expected) => {
    const { text, thrown } = await drain(gateway.streamChat({ model: model(protocol, 'error-after-200'), messages: hi }));
    expect(text).toBe(before);
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(fields(thrown as GatewayError)).toEqual({ ...expected, retryAfterSeconds: undefined });
  });

  it('anthropic: a truncated upstream stream arrives as the gateway\'s error event', async () => {
    const { text, thrown } = await drain(gateway.streamChat({ model: model('anthropic', 'truncated'), messages: hi }));
    expect(text).toBe('Hello from');
    expect(fields(thrown as GatewayError)).toEqual({
      status: 200,
      code: 'PROVIDER_ERROR',
      message: 'The Anthropic stream ended before message_stop',
      details: { truncated: true },
      retryAfterSeconds: undefined,
    });
  });

  it('STREAM_INTERRUPTED when the connection ends without [DONE] or an error event', async () => {
    const cut = createGatewayClient({ baseUrl: target.apiBase, token: ADMIN_TOKEN, fetch: cutAfterEventsFetch(target.rawFetch, 2) });
    const { chunks, thrown } = await drain(cut.streamChat({ model: model('openai'), messages: hi }));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content)).toEqual(['', 'Hello']);
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(fields(thrown as GatewayError)).toEqual({
      status: 200,
      code: 'STREAM_INTERRUPTED',
      message: 'The stream ended before [DONE] without an error event',
      details: undefined,
      retryAfterSeconds: undefined,
    });
  });

  it('NETWORK_ERROR with status 0 when nothing listens', async () => {
    const closed = createGatewayClient({ baseUrl: 'http://127.0.0.1:9/api/v1/', fetch: target.rawFetch });
    const error = await gatewayErrorFrom(() => closed.health());
    expect(fields(error)).toEqual({
      status: 0,
      code: 'NETWORK_ERROR',
      message: 'Could not reach the gateway (GET http://127.0.0.1:9/api/v1/health)',
      details: undefined,
      retryAfterSeconds: undefined,
    });
    expect(error.cause).toBeInstanceOf(Error);
    const streamed = await drain(closed.streamChat({ model: model('openai'), messages: hi }));
    expect((streamed.thrown as GatewayError).code).toBe('NETWORK_ERROR');
  });
});

describe('aborting', () => {
  it('aborting mid-stream throws AbortError and closes the upstream stream', async () => {
    const upstreamModel = unique('slow');
    const controller = new AbortController();
    const seen: string[] = [];
    let thrown: unknown;
    try {
      for await (const chunk of gateway.streamChat({ model: `${providers.openai.name}/${upstreamModel}`, messages: hi }, { signal: controller.signal })) {
        seen.push(chunk.choices[0]?.delta.content ?? '');
        if (seen.length === 3) controller.abort();
      }
    } catch (error) {
      thrown = error;
    }
    expect(seen).toEqual(['', 'Chunk 1.', ' Chunk 2.']);
    expect(thrown).toBeInstanceOf(DOMException);
    expect((thrown as DOMException).name).toBe('AbortError');
    const progress = await waitForUpstreamAbort(upstreamModel);
    expect(progress).toMatchObject({ aborted: true, finished: false });
    expect(progress.chunksWritten).toBeLessThan(20);
  });

  it('breaking out of the loop ends the iteration quietly and closes the upstream stream', async () => {
    const upstreamModel = unique('slow');
    const seen: string[] = [];
    for await (const chunk of gateway.streamChat({ model: `${providers.anthropic.name}/${upstreamModel}`, messages: hi })) {
      seen.push(chunk.choices[0]?.delta.content ?? '');
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['', 'Chunk 1.', ' Chunk 2.']);
    const progress = await waitForUpstreamAbort(upstreamModel);
    expect(progress).toMatchObject({ aborted: true, finished: false });
    expect(progress.chunksWritten).toBeLessThan(20);
  });

  it('aborting while the gateway waits for the upstream rejects chat() with the signal\'s reason', async () => {
    const reason = new Error('user pressed Stop');
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 200);
    await expect(gateway.chat({ model: model('openai', unique('hang-headers')), messages: hi }, { signal: controller.signal })).rejects.toBe(reason);
    // The gateway's own upstream timeout is 1.5 s: the client did not wait for it.
    expect(Date.now() - started).toBeLessThan(1200);
  });

  it('an already aborted signal sends nothing', async () => {
    const provider = await createTestProvider(target, 'openai');
    await expect(gateway.chat({ model: `${provider.name}/gpt-test`, messages: hi }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(await upstreamRequestsFor(target, provider)).toEqual([]);
  });
});

describe('options', () => {
  it('calls a token function before every request', async () => {
    let calls = 0;
    let current: string | undefined = 'wrong-token-0123456789abcdef';
    const client = createGatewayClient({ baseUrl: target.apiBase, fetch: target.rawFetch, token: () => {
      calls++;
      return current;
    } });
    expect((await gatewayErrorFrom(() => client.models())).status).toBe(401);
    current = CLIENT_TOKEN;
    expect((await client.models()).object).toBe('list');
    current = undefined;
    expect(fields(await gatewayErrorFrom(() => client.models()))).toMatchObject({ status: 401, message: 'Missing bearer token' });
    expect(calls).toBe(3);
    const asynchronous = createGatewayClient({ baseUrl: target.apiBase, fetch: target.rawFetch, token: async () => CLIENT_TOKEN });
    expect((await asynchronous.models()).object).toBe('list');
  });

  it('calls the given fetch as a plain function, as a browser\'s fetch requires', async () => {
    const calls: string[] = [];
    const strictFetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (this !== undefined) throw new TypeError('Illegal invocation');
      calls.push(String(input));
      return target.rawFetch(input, init);
    };
    const client = createGatewayClient({ baseUrl: target.apiBase, token: ADMIN_TOKEN, fetch: strictFetch as typeof fetch });
    expect((await client.health()).status).toBe('ok');
    const { text } = await drain(client.streamChat({ model: model('openai'), messages: hi }));
    expect(text).toBe(HELLO_TEXT);
    expect(calls).toEqual([`${target.apiBase}/health`, `${target.apiBase}/chat/completions`]);
  });

  it('uses globalThis.fetch when none is given, looked up at call time', async () => {
    const original = globalThis.fetch;
    const calls: string[] = [];
    globalThis.fetch = (input, init) => {
      calls.push(String(input));
      return target.rawFetch(input, init);
    };
    try {
      const client = createGatewayClient({ baseUrl: target.apiBase });
      expect((await client.health()).status).toBe('ok');
    } finally {
      globalThis.fetch = original;
    }
    expect(calls).toEqual([`${target.apiBase}/health`]);
  });
});

describe('the key never leaves', () => {
  it('appears in no log line of this run', () => {
    for (const line of target.logs()) expect(line).not.toContain('CANARY');
  });
});

const weatherTools = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] } } },
];

/** The gateway's answer handed on one byte per read, LF turned into CRLF: every event, line and UTF-8 character split. */
function oneByteCrlfFetch(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    const body = response.body!.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          for (const byte of chunk) {
            if (byte === 0x0a) controller.enqueue(Uint8Array.of(0x0d));
            controller.enqueue(Uint8Array.of(byte));
          }
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** The gateway's answer cut after `events` complete events, the way a proxy that drops the connection ends it. */
function cutAfterEventsFetch(base: typeof fetch, events: number): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    let seen = 0;
    let previous = -1;
    const body = response.body!.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          for (let index = 0; index < chunk.length; index++) {
            const byte = chunk[index]!;
            if (byte === 0x0a && previous === 0x0a && ++seen === events) {
              controller.enqueue(chunk.slice(0, index + 1));
              controller.terminate();
              return;
            }
            previous = byte;
          }
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
