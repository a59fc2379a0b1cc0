import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from './index.ts';
import { HELLO_TEXT, SPLIT_TEXT } from './scenarios.ts';

// The fake upstream checked over real HTTP with plain fetch, as the gateway and workerd see it.

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream({ port: 0 });
});
afterAll(() => upstream.close());

const user = (content: string) => [{ role: 'user', content }];

function openai(body: Record<string, unknown>, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
  return fetch(`${upstream.url}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test-openai', 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: user('hi'), ...body }),
    ...init,
  });
}

function anthropic(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${upstream.url}/anthropic/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01', 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ max_tokens: 256, messages: user('hi'), ...body }),
  });
}

/** Every SSE event of a response, decoded as a stream (so split UTF-8 sequences are joined). */
async function events(response: Response): Promise<EventSourceMessage[]> {
  const parsed: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => parsed.push(event) });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(value);
  }
  return parsed;
}

const control = async <T>(path: string, method = 'GET'): Promise<T> => (await fetch(`${upstream.url}/__control/${path}`, { method })).json() as Promise<T>;

describe('authentication', () => {
  it('refuses a missing OpenAI key with 401 in the OpenAI error format', async () => {
    const response = await openai({ model: 'gpt-test' }, { authorization: '' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { message: expect.stringContaining("didn't provide an API key"), type: 'invalid_request_error', param: null, code: null } });
  });

  it('echoes a wrong key in the 401 message, on both protocols', async () => {
    const openaiRefusal = await openai({ model: 'gpt-test' }, { authorization: 'Bearer sk-wrong-secret-1234' });
    expect(openaiRefusal.status).toBe(401);
    expect((await openaiRefusal.json()).error).toMatchObject({ message: expect.stringContaining('sk-wrong-secret-1234'), code: 'invalid_api_key' });

    const anthropicRefusal = await anthropic({ model: 'claude-test' }, { 'x-api-key': 'sk-wrong-ant-5678' });
    expect(anthropicRefusal.status).toBe(401);
    expect(await anthropicRefusal.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.stringContaining('sk-wrong-ant-5678') } });
  });

  it('requires both x-api-key and anthropic-version', async () => {
    for (const headers of [{ 'x-api-key': '' }, { 'anthropic-version': '' }] as Record<string, string>[]) {
      const response = await anthropic({ model: 'claude-test' }, headers);
      expect(response.status).toBe(401);
      expect((await response.json()).error.type).toBe('authentication_error');
    }
  });
});

describe('OpenAI protocol', () => {
  it('streams chat.completion.chunk events, the usage chunk with choices [] and then [DONE]', async () => {
    const response = await openai({ model: 'gpt-test', stream: true, stream_options: { include_usage: true } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);

    const all = await events(response);
    expect(all.at(-1)?.data).toBe('[DONE]');
    const chunks = all.slice(0, -1).map((event) => JSON.parse(event.data));
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: chunks[0].id, object: 'chat.completion.chunk', created: expect.any(Number), model: 'gpt-test', system_fingerprint: expect.stringMatching(/^fp_/) });
    }
    expect(chunks[0].id).toMatch(/^chatcmpl-/);
    expect(chunks[0].choices[0]).toMatchObject({ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null });
    const usageChunk = chunks.at(-1);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) });
    const finishChunk = chunks.at(-2);
    expect(finishChunk.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    const text = chunks.slice(0, -1).map((chunk) => chunk.choices[0].delta.content ?? '').join('');
    expect(text).toBe(HELLO_TEXT);
    expect(chunks.length).toBeGreaterThan(4);
  });

  it('leaves usage out of a stream unless asked for', async () => {
    const chunks = (await events(await openai({ model: 'gpt-test', stream: true }))).slice(0, -1).map((event) => JSON.parse(event.data));
    expect(chunks.every((chunk) => !('usage' in chunk) && chunk.choices.length === 1)).toBe(true);
  });

  it('answers non-streamed with a chat.completion, echoing an echo: message', async () => {
    const response = await openai({ model: 'gpt-test', messages: user('echo: ping 42') });
    const body = await response.json();
    expect(body).toMatchObject({ object: 'chat.completion', model: 'gpt-test', choices: [{ index: 0, message: { role: 'assistant', content: 'echo: ping 42' }, finish_reason: 'stop', logprobs: null }] });
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it('streams two tool calls with their arguments in fragments', async () => {
    const chunks = (await events(await openai({ model: 'tools', stream: true }))).slice(0, -1).map((event) => JSON.parse(event.data));
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    let fragments = 0;
    for (const chunk of chunks) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        calls[call.index] ??= { id: call.id, name: call.function.name, arguments: '' };
        calls[call.index]!.arguments += call.function.arguments ?? '';
        if (call.function.arguments) fragments++;
      }
    }
    expect(calls.map(({ name, arguments: args }) => [name, JSON.parse(args)])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_time', { timezone: 'Europe/Paris' }],
    ]);
    expect(calls.every((call) => call.id.startsWith('call_'))).toBe(true);
    expect(fragments).toBeGreaterThan(4);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  it('uses CRLF line endings for crlf', async () => {
    const response = await openai({ model: 'crlf', stream: true });
    const raw = await response.text();
    expect(raw).toContain('}\r\n\r\ndata: ');
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(raw.endsWith('data: [DONE]\r\n\r\n')).toBe(true);
  });

  it('splits an event and multi-byte characters across writes for split', async () => {
    const response = await openai({ model: 'split@self-test', stream: true });
    const text = Buffer.from(await response.arrayBuffer()).toString('utf8');
    const content = text.split('\n\n').filter((line) => line.startsWith('data: {')).map((line) => JSON.parse(line.slice(6)).choices[0].delta.content ?? '').join('');
    expect(content).toBe(SPLIT_TEXT);
    // 8 frames (role, 5 contents, finish, [DONE]) in 11 writes: one event and two characters cut in two.
    // Checked on the server's side: on a busy machine the client may read two writes at once.
    expect(await control('stream-progress?model=split%40self-test')).toEqual({ chunksWritten: 11, finished: true, aborted: false });
  });

  it('ends without [DONE] for no-done and with an error data line for error-after-200', async () => {
    const noDone = await events(await openai({ model: 'no-done', stream: true }));
    expect(noDone.some((event) => event.data === '[DONE]')).toBe(false);
    expect(JSON.parse(noDone.at(-1)!.data).choices[0].finish_reason).toBe('stop');

    const failed = await events(await openai({ model: 'error-after-200', stream: true }));
    expect(JSON.parse(failed.at(-1)!.data)).toEqual({ error: { message: 'Upstream overloaded', type: 'server_error' } });
    expect(failed.length).toBe(4);
  });

  it('lists models in the OpenAI shape', async () => {
    const response = await fetch(`${upstream.url}/openai/v1/models`, { headers: { authorization: 'Bearer sk-test' } });
    const body = await response.json();
    expect(body.object).toBe('list');
    expect(body.data).toContainEqual({ id: 'gpt-test', object: 'model', created: expect.any(Number), owned_by: expect.any(String) });
  });
});

describe('Anthropic protocol', () => {
  it('streams interleaved text and tool_use blocks with split input_json_delta', async () => {
    const response = await anthropic({ model: 'tools', stream: true });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const all = await events(response);
    const data = all.map((event) => JSON.parse(event.data));
    // Each event's name repeats its data's type.
    expect(all.every((event, index) => event.event === data[index].type)).toBe(true);
    expect(data[0]).toMatchObject({ type: 'message_start', message: { id: expect.stringMatching(/^msg_/), role: 'assistant', content: [], usage: { cache_read_input_tokens: expect.any(Number) } } });
    expect(data.some((event) => event.type === 'ping')).toBe(true);

    const blocks: Array<{ type: string; text?: string; name?: string; json?: string; id?: string }> = [];
    for (const event of data) {
      if (event.type === 'content_block_start') blocks[event.index] = { ...event.content_block, json: '' };
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') blocks[event.index]!.text += event.delta.text;
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') blocks[event.index]!.json += event.delta.partial_json;
    }
    expect(blocks.map((block) => block.type)).toEqual(['text', 'tool_use', 'text', 'tool_use']);
    expect(blocks[1]).toMatchObject({ id: expect.stringMatching(/^toolu_/), name: 'get_weather' });
    expect(JSON.parse(blocks[1]!.json!)).toEqual({ city: 'Paris' });
    expect(JSON.parse(blocks[3]!.json!)).toEqual({ timezone: 'Europe/Paris' });
    expect(data.filter((event) => event.type === 'content_block_delta' && event.index === 1).length).toBeGreaterThan(2);
    expect(data.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: expect.any(Number) } });
    expect(data.at(-1)).toEqual({ type: 'message_stop' });
  });

  it('answers non-streamed with a message whose usage has the cache counts', async () => {
    const body = await (await anthropic({ model: 'claude-test' })).json();
    expect(body).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [{ type: 'text', text: HELLO_TEXT }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number), cache_read_input_tokens: expect.any(Number), cache_creation_input_tokens: expect.any(Number) },
    });
  });

  it('ends truncated without message_stop and error-after-200 with an overloaded error event', async () => {
    const truncated = await events(await anthropic({ model: 'truncated', stream: true }));
    expect(truncated.at(-1)?.event).toBe('content_block_delta');
    const failed = await events(await anthropic({ model: 'error-after-200', stream: true }));
    expect(failed.at(-1)).toMatchObject({ event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' });
  });

  it('lists models in the Anthropic shape', async () => {
    const response = await fetch(`${upstream.url}/anthropic/v1/models?limit=1000`, { headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' } });
    const body = await response.json();
    expect(body).toMatchObject({ has_more: false, first_id: body.data[0].id, last_id: body.data.at(-1).id });
    expect(body.data).toContainEqual({ type: 'model', id: 'claude-test', display_name: expect.any(String), created_at: expect.any(String) });
  });
});

describe('failure scenarios', () => {
  it('fails every other flaky-500 request and asks to retry after 1s for retry-after', async () => {
    expect((await openai({ model: 'flaky-500@self-test' })).status).toBe(500);
    expect((await openai({ model: 'flaky-500@self-test' })).status).toBe(200);
    const limited = await anthropic({ model: 'retry-after@self-test' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await limited.json()).error.type).toBe('rate_limit_error');
    expect((await anthropic({ model: 'retry-after@self-test' })).status).toBe(200);
    const always = await openai({ model: 'always-429' });
    expect([always.status, always.headers.get('retry-after')]).toEqual([429, '30']);
  });

  it('redirects to the port in x-redirect-port, answers HTML for not-json and 2 MiB for big', async () => {
    const redirect = await openai({ model: 'redirect' }, { 'x-redirect-port': '4321' }, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, 'http://127.0.0.1:4321/stolen']);
    const html = await openai({ model: 'not-json' });
    expect([html.status, html.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const big = await openai({ model: 'big' });
    const length = Number(big.headers.get('content-length'));
    expect(length).toBeGreaterThan(2 * 1024 * 1024);
    expect((await big.json()).choices[0].message.content.length).toBeGreaterThan(2_000_000);
  });

  it('stamps each bench chunk with its send time', async () => {
    const before = performance.timeOrigin + performance.now();
    const chunks = (await events(await openai({ model: 'bench-5-10', stream: true }))).slice(0, -1).map((event) => JSON.parse(event.data));
    const stamps = chunks.map((chunk) => chunk.choices[0].delta.content).filter((content) => content).map(Number);
    expect(stamps).toHaveLength(5);
    expect(stamps[0]).toBeGreaterThanOrEqual(before - 1);
    expect(stamps[4]! - stamps[0]!).toBeGreaterThanOrEqual(35);
  });
});

describe('control endpoints', () => {
  it('records provider requests, but not control requests, until reset', async () => {
    await control('reset', 'POST');
    await openai({ model: 'gpt-test', messages: user('recorded') }, { 'x-custom': 'yes' });
    await fetch(`${upstream.url}/anthropic/v1/models?limit=1000`, { headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' } });
    await control('connections');
    const requests = await control<RecordedRequest[]>('requests');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/openai/v1/chat/completions', headers: { authorization: 'Bearer sk-test-openai', 'x-custom': 'yes' } });
    expect(JSON.parse(requests[0]!.body).messages[0].content).toBe('recorded');
    expect(requests[1]).toMatchObject({ method: 'GET', path: '/anthropic/v1/models?limit=1000', body: '' });
    await control('reset', 'POST');
    expect(await control('requests')).toEqual([]);
  });

  it('stops writing a slow stream once the client aborts, and counts the closed connection', async () => {
    const before = await control<{ closedBeforeEnd: number }>('connections');
    const abort = new AbortController();
    const response = await openai({ model: 'slow@abort-test', stream: true }, {}, { signal: abort.signal });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    abort.abort();

    const progress = () => control<{ chunksWritten: number; finished: boolean; aborted: boolean }>('stream-progress?model=slow%40abort-test');
    await vi.waitFor(async () => expect((await progress()).aborted).toBe(true), { timeout: 2000 });
    const atAbort = await progress();
    expect(atAbort).toMatchObject({ finished: false, aborted: true });
    expect(atAbort.chunksWritten).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await progress()).chunksWritten).toBe(atAbort.chunksWritten);
    const after = await control<{ closedBeforeEnd: number; open: number; total: number }>('connections');
    expect(after.closedBeforeEnd).toBeGreaterThan(before.closedBeforeEnd);
  });

  it('never answers hang-headers, until the client gives up', async () => {
    await expect(openai({ model: 'hang-headers@self-test' }, {}, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    await vi.waitFor(async () => expect((await control<{ aborted: boolean }>('stream-progress?model=hang-headers%40self-test')).aborted).toBe(true), { timeout: 2000 });
  });

  it('keeps no log when record is false', async () => {
    const quiet = await startFakeUpstream({ record: false });
    try {
      await fetch(`${quiet.url}/openai/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'bench-3-0', stream: true, messages: [] }),
      }).then((response) => response.text());
      expect(await (await fetch(`${quiet.url}/__control/requests`)).json()).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
