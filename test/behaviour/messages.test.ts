import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { HELLO_TEXT, SPLIT_TEXT, tokenPieces } from '../support/fake-upstream/scenarios.ts';
import { createTestProvider, upstreamRequestsFor, CANARY_KEY, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { CLIENT_TOKEN, jsonInit, type Target } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';

// POST /api/v1/messages, the Anthropic Messages API passed through to anthropic-protocol
// providers, through the official @anthropic-ai/sdk with only a base URL and the gateway token,
// on both runtimes.

let target: Target;
let client: Anthropic;
let anthropic: TestProvider;
let openai: TestProvider;

beforeAll(async () => {
  target = await startBehaviourTarget();
  // The SDK posts to {baseURL}/v1/messages: the gateway's /api/v1/messages.
  client = new Anthropic({ baseURL: target.apiBase.replace(/\/v1$/, ''), authToken: CLIENT_TOKEN, fetch: target.rawFetch, maxRetries: 0 });
  anthropic = await createTestProvider(target, 'anthropic');
  openai = await createTestProvider(target, 'openai');
});
afterAll(() => target.close());

const hi = [{ role: 'user' as const, content: 'Hi' }];
// The fake upstream's usage for its text answer: fixed prompt counts, one output token per piece.
const TEXT_USAGE = { input_tokens: 21, cache_creation_input_tokens: 8, cache_read_input_tokens: 64, output_tokens: tokenPieces(HELLO_TEXT).length };

function post(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return target.fetch('/messages', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function sdkError(promise: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Anthropic.APIError);
  return error as InstanceType<typeof Anthropic.APIError>;
}

describe('through the official Anthropic SDK', () => {
  it('answers a non-streamed request with the provider\'s message', async () => {
    const message = await client.messages.create({ model: `${anthropic.name}/claude-test`, max_tokens: 64, messages: hi });
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [{ type: 'text', text: HELLO_TEXT }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: TEXT_USAGE,
    });
    expect(message.id).toMatch(/^msg_01[0-9A-Za-z]{22}$/);
  });

  it('streams: the SDK\'s stream helper assembles the provider\'s text, piece by piece', async () => {
    const stream = client.messages.stream({ model: `${anthropic.name}/claude-test`, max_tokens: 64, messages: hi });
    const pieces: string[] = [];
    stream.on('text', (delta) => pieces.push(delta));
    const final = await stream.finalMessage();
    expect(pieces).toEqual(tokenPieces(HELLO_TEXT));
    expect(final.content).toEqual([{ type: 'text', text: HELLO_TEXT }]);
    expect(final).toMatchObject({ model: 'claude-test', stop_reason: 'end_turn', usage: TEXT_USAGE });
  });

  it('streams multi-byte characters cut across TCP writes intact', async () => {
    const text = await client.messages.stream({ model: `${anthropic.name}/split`, max_tokens: 64, messages: hi }).finalText();
    expect(text).toBe(SPLIT_TEXT);
  });

  it('hands the provider\'s own error event on: the SDK throws it', async () => {
    const error = await sdkError(client.messages.stream({ model: `${anthropic.name}/error-after-200`, max_tokens: 64, messages: hi }).finalMessage());
    expect(error.error).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('maps an upstream 429 as chat does: RATE_LIMITED with its Retry-After', async () => {
    const provider = await createTestProvider(target, 'anthropic');
    const error = await sdkError(client.messages.create({ model: `${provider.name}/always-429`, max_tokens: 64, messages: hi }));
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.headers?.get('retry-after')).toBe('30');
    expect(error.error).toEqual({
      type: 'error',
      error: {
        type: 'rate_limit_error',
        gateway_code: 'RATE_LIMITED',
        // The provider's message, through the same scrubber as chat, which keeps its URL.
        message: 'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage.',
        details: { upstreamStatus: 429 },
      },
    });
    expect(await upstreamRequestsFor(target, provider)).toHaveLength(1);
  });

  it('answers an upstream 400 with 400 PROVIDER_REJECTED and the provider\'s message', async () => {
    const error = await sdkError(client.messages.create({ model: `${anthropic.name}/claude-test`, messages: hi } as unknown as Anthropic.MessageCreateParamsNonStreaming));
    expect(error.status).toBe(400);
    expect(error.error).toEqual({ type: 'error', error: { type: 'invalid_request_error', gateway_code: 'PROVIDER_REJECTED', message: 'max_tokens: Field required', details: { upstreamStatus: 400 } } });
  });

  it('retries a 5xx as chat does, then answers 502 PROVIDER_ERROR', async () => {
    const provider = await createTestProvider(target, 'anthropic');
    const error = await sdkError(client.messages.create({ model: `${provider.name}/always-500`, max_tokens: 64, messages: hi }));
    expect(error.status).toBe(502);
    expect(error.error).toEqual({ type: 'error', error: { type: 'api_error', gateway_code: 'PROVIDER_ERROR', message: 'Internal server error', details: { upstreamStatus: 500 } } });
    expect(await upstreamRequestsFor(target, provider)).toHaveLength(3);
  });

  it('ends a stream that goes silent with one error event holding UPSTREAM_TIMEOUT', async () => {
    const error = await sdkError(client.messages.stream({ model: `${anthropic.name}/hang-body`, max_tokens: 64, messages: hi }).finalMessage());
    expect(error.error).toEqual({ type: 'error', error: { type: 'api_error', gateway_code: 'UPSTREAM_TIMEOUT', message: 'The provider did not answer in time' } });
  });

  it('stops the upstream stream when the client aborts', async () => {
    const model = `slow@messages-abort-${target.runtime}`;
    const stream = client.messages.stream({ model: `${anthropic.name}/${model}`, max_tokens: 64, messages: hi });
    let texts = 0;
    await new Promise<void>((resolve) => {
      stream.on('text', () => {
        if (++texts === 3) {
          stream.abort();
          resolve();
        }
      });
      stream.on('abort', () => resolve());
    });
    const deadline = Date.now() + 1000;
    let progress = await upstreamControl(target.upstreamUrl).streamProgress(model);
    while (!progress.aborted && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      progress = await upstreamControl(target.upstreamUrl).streamProgress(model);
    }
    expect(texts).toBe(3);
    expect(progress).toMatchObject({ aborted: true, finished: false });
    expect(progress.chunksWritten).toBeLessThan(10);
  });
});

describe('what the upstream receives', () => {
  it('the body as sent but for the model, the stored key as x-api-key, the client\'s Anthropic headers, never its token', async () => {
    const body = { model: `${anthropic.name}/claude-test`, max_tokens: 64, messages: hi, temperature: 0.2, metadata: { user_id: 'u-1' } };
    const message = await client.messages.create(body, { headers: { 'anthropic-version': '2023-01-01', 'anthropic-beta': 'prompt-caching-2024-07-31' } });
    expect(message.content).toEqual([{ type: 'text', text: HELLO_TEXT }]);
    const [received] = (await upstreamRequestsFor(target, anthropic)).slice(-1);
    expect(received!.path).toBe('/anthropic/v1/messages');
    expect(JSON.parse(received!.body)).toEqual({ ...body, model: 'claude-test' });
    expect(received!.headers).toMatchObject({ 'x-api-key': CANARY_KEY, 'anthropic-version': '2023-01-01', 'anthropic-beta': 'prompt-caching-2024-07-31', 'content-type': 'application/json', accept: 'application/json' });
    expect(received!.headers.authorization).toBeUndefined();
    expect(Object.keys(received!.headers).filter((name) => name.startsWith('x-stainless-'))).toEqual([]);
    expect(JSON.stringify(received)).not.toContain(CLIENT_TOKEN);
  });

  it('sends anthropic-version 2023-06-01 and no anthropic-beta when the client sent neither', async () => {
    expect((await post({ model: `${anthropic.name}/claude-test`, max_tokens: 64, messages: hi, stream: true })).status).toBe(200);
    const [received] = (await upstreamRequestsFor(target, anthropic)).slice(-1);
    expect(received!.headers['anthropic-version']).toBe('2023-06-01');
    expect(received!.headers['anthropic-beta']).toBeUndefined();
    expect(received!.headers.accept).toBe('text/event-stream');
    expect(received!.headers.authorization).toBeUndefined();
  });

  it('passes ?beta=true and anthropic-beta to an anthropic provider, and the gateway\'s `models` to none', async () => {
    const response = await target.fetch('/messages?beta=true', jsonInit('POST', { model: `${anthropic.name}/claude-test`, models: [`${openai.name}/gpt-test`], max_tokens: 64, messages: hi, context_management: { edits: [] } }, { 'content-type': 'application/json', 'anthropic-beta': 'context-management-2025-06-27' }));
    expect(response.status).toBe(200);
    const [received] = (await upstreamRequestsFor(target, anthropic)).slice(-1);
    expect(received!.path).toBe('/anthropic/v1/messages?beta=true');
    expect(received!.headers['anthropic-beta']).toBe('context-management-2025-06-27');
    expect(JSON.parse(received!.body)).toEqual({ model: 'claude-test', max_tokens: 64, messages: hi, context_management: { edits: [] } });
  });

  it('routes by model as chat does, and sends nothing upstream when it cannot', async () => {
    const before = (await upstreamControl(target.upstreamUrl).requests()).length;
    const unknown = await post({ model: 'no-such-provider/claude-test', max_tokens: 64, messages: hi });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ type: 'error', error: { type: 'not_found_error', gateway_code: 'NOT_FOUND', message: 'No provider named "no-such-provider"', details: { field: 'model' } } });
    for (const model of ['claude-test', '/claude-test', `${anthropic.name}/`]) {
      const malformed = await post({ model, max_tokens: 64, messages: hi });
      expect(malformed.status, model).toBe(400);
      expect((await malformed.json()).error, model).toMatchObject({ type: 'invalid_request_error', gateway_code: 'VALIDATION_ERROR', details: { field: 'model' } });
    }
    const noMessages = await post({ model: `${anthropic.name}/claude-test`, max_tokens: 64, messages: [] });
    expect((await noMessages.json()).error).toMatchObject({ type: 'invalid_request_error', gateway_code: 'VALIDATION_ERROR', details: { field: 'messages' } });
    expect((await upstreamControl(target.upstreamUrl).requests()).length).toBe(before);
  });

  it('routes "<provider id>/<model with slashes>" and sends only the model part', async () => {
    expect((await post({ model: `${anthropic.id}/org/claude-test`, max_tokens: 64, messages: hi })).status).toBe(200);
    const [received] = (await upstreamRequestsFor(target, anthropic)).slice(-1);
    expect(JSON.parse(received!.body).model).toBe('org/claude-test');
  });
});

describe('the wire', () => {
  it('hands the stream on byte for byte, CRLF line endings included', async () => {
    const response = await post({ model: `${anthropic.name}/crlf`, max_tokens: 64, messages: hi, stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    const text = await response.text();
    expect(text.startsWith('event: message_start\r\ndata: {"type":"message_start"')).toBe(true);
    expect(text.endsWith('event: message_stop\r\ndata: {"type":"message_stop"}\r\n\r\n')).toBe(true);
    expect(text.split('\r\n\r\n')).toHaveLength(3 + tokenPieces(HELLO_TEXT).length + 3 + 1);
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('sends the events in the provider\'s order', async () => {
    const response = await post({ model: `${anthropic.name}/claude-test`, max_tokens: 64, messages: hi, stream: true });
    const events = (await readSseData(response)).map((data) => JSON.parse(data).type);
    const deltas = tokenPieces(HELLO_TEXT).map(() => 'content_block_delta');
    expect(events).toEqual(['message_start', 'content_block_start', 'ping', ...deltas, 'content_block_stop', 'message_delta', 'message_stop']);
  });

  it('answers 502 for a non-streamed answer that is not JSON', async () => {
    const response = await post({ model: `${anthropic.name}/not-json`, max_tokens: 64, messages: hi });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'api_error', gateway_code: 'PROVIDER_ERROR', message: 'The provider\'s answer is not valid JSON' } });
  });

  it('applies chat\'s body checks: Content-Type, malformed JSON, size', async () => {
    const wrongType = await target.fetch('/messages', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect((await wrongType.json()).error).toMatchObject({ type: 'invalid_request_error', gateway_code: 'VALIDATION_ERROR', details: { field: 'Content-Type' } });
    const malformed = await target.fetch('/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":' });
    expect((await malformed.json()).error).toMatchObject({ type: 'invalid_request_error', gateway_code: 'VALIDATION_ERROR', details: { field: 'body' } });
    const big = await post({ model: `${anthropic.name}/claude-test`, max_tokens: 64, messages: [{ role: 'user', content: 'x'.repeat(300_000) }] });
    expect(big.status).toBe(413);
    expect((await big.json()).error).toMatchObject({ type: 'request_too_large', gateway_code: 'PAYLOAD_TOO_LARGE' });
  });

  it('takes the gateway token as Authorization: Bearer or x-api-key, and refuses a wrong one in Anthropic\'s shape', async () => {
    const body = JSON.stringify({ model: `${anthropic.name}/claude-test`, max_tokens: 64, messages: hi });
    const byApiKey = await target.rawFetch(`${target.apiBase}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_TOKEN }, body });
    expect(byApiKey.status).toBe(200);
    const wrong = await target.rawFetch(`${target.apiBase}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'not-the-token' }, body });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ type: 'error', error: { type: 'authentication_error', gateway_code: 'UNAUTHORIZED', message: 'Missing bearer token' } });
    const [received] = (await upstreamRequestsFor(target, anthropic)).slice(-1);
    expect(JSON.stringify(received)).not.toContain(CLIENT_TOKEN);
  });
});

describe('the provider key never leaves', () => {
  it('is in no answer, streamed, non-streamed or failed, even when the provider echoes it', async () => {
    const wrongKey = 'sk-wrong-CANARY-messages-0123456789abcdef';
    const echoing = await createTestProvider(target, 'anthropic', { apiKey: wrongKey });
    const responses = [
      await post({ model: `${anthropic.name}/claude-test`, max_tokens: 64, messages: hi }),
      await post({ model: `${anthropic.name}/claude-test`, max_tokens: 64, messages: hi, stream: true }),
      await post({ model: `${echoing.name}/claude-test`, max_tokens: 64, messages: hi }),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 200, 502]);
    for (const response of responses) {
      const everything = JSON.stringify([...response.headers]) + (await response.text());
      expect(everything).not.toContain('CANARY');
      expect(everything).not.toContain('0123456789abcdef');
    }
    expect((await upstreamRequestsFor(target, echoing))[0]!.headers['x-api-key']).toBe(wrongKey);
  });

  it('is in no translated answer either, when an openai provider echoes it', async () => {
    const wrongKey = 'sk-wrong-CANARY-translated-0123456789abcdef';
    const echoing = await createTestProvider(target, 'openai', { apiKey: wrongKey });
    const responses = [
      await post({ model: `${openai.name}/gpt-test`, max_tokens: 64, messages: hi, stream: true }),
      await post({ model: `${echoing.name}/gpt-test`, max_tokens: 64, messages: hi }),
      await post({ model: `${echoing.name}/gpt-test`, max_tokens: 64, messages: hi, stream: true }),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 502, 502]);
    for (const response of responses) {
      const everything = JSON.stringify([...response.headers]) + (await response.text());
      expect(everything).not.toContain('CANARY');
      expect(everything).not.toContain('0123456789abcdef');
    }
  });

  it('is in no log line of this run', () => {
    for (const line of target.logs()) {
      expect(line).not.toContain('CANARY');
      expect(line).not.toContain(CLIENT_TOKEN);
    }
  });
});

describe('any provider: an openai-protocol one behind the Messages API', () => {
  const tools: Anthropic.Tool[] = [
    { name: 'get_weather', description: 'The weather in a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    { name: 'get_time', input_schema: { type: 'object', properties: { timezone: { type: 'string' } } } },
  ];

  it('answers a non-streamed request as a Message, the upstream\'s counts as usage', async () => {
    const { data: message, response } = await client.messages.create({ model: `${openai.name}/gpt-test`, max_tokens: 64, messages: hi }).withResponse();
    expect(response.headers.get('x-gateway-provider')).toBe(openai.name);
    expect(message).toEqual({
      id: expect.stringMatching(/^msg_[0-9A-Za-z]{29}$/),
      type: 'message',
      role: 'assistant',
      model: 'gpt-test',
      content: [{ type: 'text', text: HELLO_TEXT }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 19, output_tokens: tokenPieces(HELLO_TEXT).length, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('streams text piece by piece through the SDK\'s MessageStream', async () => {
    const stream = client.messages.stream({ model: `${openai.name}/gpt-test`, max_tokens: 64, messages: hi });
    const pieces: string[] = [];
    stream.on('text', (delta) => pieces.push(delta));
    const final = await stream.finalMessage();
    expect(pieces).toEqual(tokenPieces(HELLO_TEXT));
    expect(final).toMatchObject({ model: 'gpt-test', content: [{ type: 'text', text: HELLO_TEXT }], stop_reason: 'end_turn', usage: { input_tokens: 19, output_tokens: tokenPieces(HELLO_TEXT).length } });
  });

  it('streams parallel tool calls as tool_use blocks, arguments piece by piece, and takes their ids back', async () => {
    const stream = client.messages.stream({ model: `${openai.name}/tools`, max_tokens: 64, messages: hi, tools });
    const json: string[] = [];
    stream.on('inputJson', (partial) => json.push(partial));
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content).toEqual([
      { type: 'tool_use', id: expect.stringMatching(/^toolu_call_[0-9A-Za-z]{24}$/), name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_call_[0-9A-Za-z]{24}$/), name: 'get_time', input: { timezone: 'Europe/Paris' } },
    ]);
    expect(json.join('')).toBe('{"city":"Paris"}{"timezone":"Europe/Paris"}');

    const [first, second] = final.content as Anthropic.ToolUseBlock[];
    await client.messages.create({
      model: `${openai.name}/gpt-test`,
      max_tokens: 64,
      tools,
      messages: [
        ...hi,
        { role: 'assistant', content: final.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: first!.id, content: 'Sunny, 21 °C' },
            { type: 'tool_result', tool_use_id: second!.id, content: [{ type: 'text', text: 'no such zone' }], is_error: true },
            { type: 'text', text: 'Thanks' },
          ],
        },
      ],
    });
    const [received] = (await upstreamRequestsFor(target, openai)).slice(-1);
    const sent = JSON.parse(received!.body);
    expect(sent.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [
        { id: first!.id.slice('toolu_'.length), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: second!.id.slice('toolu_'.length), type: 'function', function: { name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' } },
      ] },
      { role: 'tool', tool_call_id: first!.id.slice('toolu_'.length), content: 'Sunny, 21 °C' },
      { role: 'tool', tool_call_id: second!.id.slice('toolu_'.length), content: 'Error: no such zone' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('sends the upstream a Chat Completions request translated field by field, and names the server tools it left out', async () => {
    const response = await post({
      model: `${openai.name}/gpt-test`,
      max_tokens: 300,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Answer in French.' }],
      messages: [{ role: 'user', content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      ] }],
      stop_sequences: ['END'],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      metadata: { user_id: 'user-7' },
      thinking: { type: 'enabled', budget_tokens: 8000 },
      tools: [
        { name: 'lookup', description: 'Looks up', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' }, defer_loading: true },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
        { type: 'bash_20250124', name: 'bash' },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      context_management: { edits: [] },
      service_tier: 'auto',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-dropped-tools')).toBe('web_search,bash');
    const [received] = (await upstreamRequestsFor(target, openai)).slice(-1);
    expect(JSON.parse(received!.body)).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief.\n\nAnswer in French.' },
        { role: 'user', content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ] },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' }, description: 'Looks up' } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      max_tokens: 300,
      stop: ['END'],
      temperature: 0.5,
      top_p: 0.9,
      user: 'user-7',
      reasoning_effort: 'medium',
    });
    expect(received!.headers.authorization).toBe(`Bearer ${CANARY_KEY}`);
  });

  it('ends a stream that fails upstream after the 200 with one error event in Anthropic\'s shape', async () => {
    const response = await post({ model: `${openai.name}/error-after-200`, max_tokens: 64, messages: hi, stream: true });
    const text = await response.text();
    const events = text.split('\n\n').filter(Boolean).map((frame) => frame.split('\n')[0]);
    expect(events).toEqual(['event: message_start', 'event: content_block_start', 'event: content_block_delta', 'event: content_block_delta', 'event: error']);
    expect(text.endsWith('event: error\ndata: {"type":"error","error":{"type":"api_error","message":"Upstream overloaded","gateway_code":"PROVIDER_ERROR","details":{"upstreamStatus":200}}}\n\n')).toBe(true);
    const error = await sdkError(client.messages.stream({ model: `${openai.name}/error-after-200`, max_tokens: 64, messages: hi }).finalMessage());
    expect(error.error).toEqual({ type: 'error', error: { type: 'api_error', message: 'Upstream overloaded', gateway_code: 'PROVIDER_ERROR', details: { upstreamStatus: 200 } } });
  });

  it('counts tokens: the anthropic provider\'s own count, an estimate for others', async () => {
    const body = { messages: [{ role: 'user', content: 'Hello, how many tokens is this?' }] };
    const estimated = await client.messages.countTokens({ model: `${openai.name}/gpt-test`, ...body } as Anthropic.MessageCountTokensParams);
    expect(estimated).toEqual({ input_tokens: Math.ceil(JSON.stringify(body.messages).length / 4) });
    expect(await upstreamRequestsFor(target, openai).then((requests) => requests.filter((request) => request.path.endsWith('count_tokens')))).toEqual([]);
  });
});
