import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { HELLO_TEXT, tokenPieces } from '../support/fake-upstream/scenarios.ts';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { CLIENT_TOKEN, jsonInit, type Target } from '../support/target.ts';

// POST /api/v1/responses and GET/DELETE /responses/:id: OpenAI's Responses API over any
// provider, through the official openai SDK, on both runtimes.

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

const weatherTool = { type: 'function' as const, name: 'get_weather', description: 'The weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false };
const timeTool = { type: 'function' as const, name: 'get_time', parameters: { type: 'object', properties: { timezone: { type: 'string' } } }, strict: false };

async function lastUpstreamBody(provider: TestProvider) {
  const [received] = (await upstreamRequestsFor(target, provider)).slice(-1);
  return JSON.parse(received!.body);
}

describe('through the official openai SDK', () => {
  it('answers responses.create with a Response: the text, the usage, status completed', async () => {
    const { data: response, response: raw } = await client.responses.create({ model: `${openai.name}/gpt-test`, input: 'Hi', instructions: 'Be brief.' }).withResponse();
    expect(raw.headers.get('x-gateway-provider')).toBe(openai.name);
    expect(response).toMatchObject({
      id: expect.stringMatching(/^resp_[0-9a-f]{48}$/),
      object: 'response',
      status: 'completed',
      model: 'gpt-test',
      instructions: 'Be brief.',
      incomplete_details: null,
      error: null,
      store: true,
      output: [{ id: expect.stringMatching(/^msg_[0-9a-f]{52}$/), type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: HELLO_TEXT, annotations: [] }] }],
      usage: { input_tokens: 19, input_tokens_details: { cached_tokens: 0 }, output_tokens: tokenPieces(HELLO_TEXT).length, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 19 + tokenPieces(HELLO_TEXT).length },
    });
    expect(response.output_text).toBe(HELLO_TEXT);
    expect((await lastUpstreamBody(openai)).messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
  });

  it('streams through responses.stream(): text deltas piece by piece, events in order with rising sequence numbers', async () => {
    const stream = client.responses.stream({ model: `${openai.name}/gpt-test`, input: 'Hi' });
    const deltas: string[] = [];
    const events: Array<{ type: string; sequence_number: number }> = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    stream.on('event', (event) => events.push(event));
    const final = await stream.finalResponse();
    expect(deltas).toEqual(tokenPieces(HELLO_TEXT));
    expect(final.output_text).toBe(HELLO_TEXT);
    expect(final.status).toBe('completed');
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...tokenPieces(HELLO_TEXT).map(() => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
  });

  it('streams parallel function calls as function_call items, arguments piece by piece', async () => {
    const stream = client.responses.stream({ model: `${openai.name}/tools`, input: 'Weather and time in Paris?', tools: [weatherTool, timeTool] });
    const argumentDeltas: string[] = [];
    stream.on('response.function_call_arguments.delta', (event) => argumentDeltas.push(event.delta));
    const final = await stream.finalResponse();
    // The SDK's parser adds parsed_arguments to each call; the rest is the gateway's.
    expect(final.output.map((item) => ({ ...item, parsed_arguments: undefined }))).toEqual([
      { parsed_arguments: undefined, id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'completed', arguments: '{"city":"Paris"}', call_id: expect.stringMatching(/^call_/), name: 'get_weather' },
      { parsed_arguments: undefined, id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'completed', arguments: '{"timezone":"Europe/Paris"}', call_id: expect.stringMatching(/^call_/), name: 'get_time' },
    ]);
    expect(argumentDeltas.join('')).toBe('{"city":"Paris"}{"timezone":"Europe/Paris"}');
  });

  it('translates for an anthropic provider too', async () => {
    const response = await client.responses.create({ model: `${anthropic.name}/claude-test`, input: 'Hi', max_output_tokens: 64 });
    expect(response.output_text).toBe(HELLO_TEXT);
    expect(response.usage).toMatchObject({ input_tokens: 21 + 8 + 64, output_tokens: tokenPieces(HELLO_TEXT).length });
  });

  it('ends a stream that fails upstream after the 200 with one error event, which the SDK throws', async () => {
    const response = await target.fetch('/responses', jsonInit('POST', { model: `${openai.name}/error-after-200`, input: 'Hi', stream: true }, { 'content-type': 'application/json' }));
    const events = (await readSseData(response)).map((data) => JSON.parse(data));
    expect(events.at(-1)).toEqual({
      type: 'error',
      code: 'PROVIDER_ERROR',
      message: 'Upstream overloaded',
      param: null,
      error: { type: 'server_error', code: 'PROVIDER_ERROR', message: 'Upstream overloaded', param: null },
      sequence_number: events.length - 1,
    });
    expect(events.filter((event) => event.type === 'error')).toHaveLength(1);
    await expect(client.responses.stream({ model: `${openai.name}/error-after-200`, input: 'Hi' }).finalResponse()).rejects.toThrow('Upstream overloaded');
  });
});

describe('stored responses', () => {
  it('continues from previous_response_id with the whole conversation; GET returns it, DELETE removes it', async () => {
    const first = await client.responses.create({ model: `${openai.name}/gpt-test`, input: 'Hi', tools: [weatherTool] });
    const second = await client.responses.create({ model: `${openai.name}/gpt-test`, previous_response_id: first.id, input: [{ role: 'user', content: 'And again?' }] });
    expect((await lastUpstreamBody(openai)).messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: HELLO_TEXT },
      { role: 'user', content: 'And again?' },
    ]);
    expect(await client.responses.retrieve(second.id)).toEqual(second);
    const deleted = await target.fetch(`/responses/${first.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const gone = await target.fetch(`/responses/${first.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: { code: 'NOT_FOUND', message: `Response ${JSON.stringify(first.id)} not found` } });
    const continued = await target.fetch('/responses', jsonInit('POST', { model: `${openai.name}/gpt-test`, previous_response_id: first.id, input: 'more' }, { 'content-type': 'application/json' }));
    expect(continued.status).toBe(404);
  });

  it('resolves an item_reference to an item of the caller\'s own stored responses (what the AI SDK sends for earlier turns)', async () => {
    const first = await client.responses.create({ model: `${openai.name}/gpt-test`, input: 'Hi' });
    const itemId = first.output[0]!.id!;
    const body = { model: `${openai.name}/gpt-test`, input: [{ role: 'user', content: 'Hi' }, { type: 'item_reference', id: itemId }, { role: 'user', content: 'More?' }] };
    expect((await target.fetch('/responses', jsonInit('POST', body, { 'content-type': 'application/json' }))).status).toBe(200);
    expect((await lastUpstreamBody(openai)).messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: HELLO_TEXT },
      { role: 'user', content: 'More?' },
    ]);
    const unknown = await target.fetch('/responses', jsonInit('POST', { ...body, input: [{ type: 'item_reference', id: `msg_${'0'.repeat(52)}` }] }, { 'content-type': 'application/json' }));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'NOT_FOUND', message: `Item "msg_${'0'.repeat(52)}" not found`, details: { field: 'input' } } });
  });

  it('keeps nothing with store: false, and shows a response only to the caller that made it', async () => {
    const unstored = await client.responses.create({ model: `${openai.name}/gpt-test`, input: 'Hi', store: false });
    expect((unstored as unknown as { store: boolean }).store).toBe(false);
    expect((await target.fetch(`/responses/${unstored.id}`)).status).toBe(404);

    const created = await target.fetch('/keys', jsonInit('POST', { name: `responses-${crypto.randomUUID().slice(0, 8)}` }));
    const accessKey = ((await created.json()) as { key: string }).key;
    const byKey = new OpenAI({ apiKey: accessKey, baseURL: target.apiBase, fetch: target.rawFetch, maxRetries: 0 });
    const mine = await byKey.responses.create({ model: `${openai.name}/gpt-test`, input: 'Hi' });
    expect((await byKey.responses.retrieve(mine.id)).id).toBe(mine.id);
    const asToken = await target.fetch(`/responses/${mine.id}`);
    expect(asToken.status).toBe(404);
    const tokenResponse = await client.responses.create({ model: `${openai.name}/gpt-test`, input: 'Hi' });
    await expect(byKey.responses.retrieve(tokenResponse.id)).rejects.toMatchObject({ status: 404 });
    await expect(byKey.responses.create({ model: `${openai.name}/gpt-test`, input: 'x', previous_response_id: tokenResponse.id })).rejects.toMatchObject({ status: 404 });
  });
});

describe('what the upstream receives', () => {
  it('a Codex-style request: store false, the whole history, namespace tools flattened, hosted tools left out and named', async () => {
    const response = await target.fetch('/responses', jsonInit('POST', {
      model: `${openai.name}/tools`,
      instructions: 'You are a coding agent.',
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'thread-1',
      client_metadata: { session: 'x' },
      reasoning: { effort: 'medium', summary: 'auto' },
      text: { verbosity: 'low' },
      parallel_tool_calls: true,
      tool_choice: 'auto',
      tools: [
        { type: 'function', name: 'shell', description: 'Runs a command', parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } } }, strict: false },
        { type: 'web_search' },
        { type: 'namespace', name: 'multi_agent', description: 'Agents', tools: [{ type: 'function', name: 'spawn_agent', parameters: { type: 'object', properties: {} } }] },
      ],
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Sandbox: read-only' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'List the files' }] },
        { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'opaque' },
        { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'shell', arguments: '{"command":["ls"]}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'README.md\nsrc' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Two entries.' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Now spawn an agent' }] },
      ],
    }, { 'content-type': 'application/json' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-dropped-tools')).toBe('web_search');
    await response.text();
    expect(await lastUpstreamBody(openai)).toEqual({
      model: 'tools',
      messages: [
        { role: 'system', content: 'You are a coding agent.' },
        { role: 'system', content: 'Sandbox: read-only' },
        { role: 'user', content: 'List the files' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'shell', arguments: '{"command":["ls"]}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'README.md\nsrc' },
        { role: 'assistant', content: 'Two entries.' },
        { role: 'user', content: 'Now spawn an agent' },
      ],
      tools: [
        { type: 'function', function: { name: 'shell', parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } } }, description: 'Runs a command', strict: false } },
        { type: 'function', function: { name: 'spawn_agent', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      reasoning_effort: 'medium',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect((await target.fetch('/responses', jsonInit('POST', { model: `${openai.name}/gpt-test`, input: 'x', background: true }, { 'content-type': 'application/json' }))).status).toBe(400);
  });

  it('a namespaced function comes back as a function_call with its namespace', async () => {
    const response = await client.responses.create({
      model: `${openai.name}/tools`,
      input: 'x',
      tools: [{ type: 'namespace', name: 'weather', description: 'Weather tools', tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }] } as unknown as OpenAI.Responses.FunctionTool],
    });
    expect(response.output[0]).toMatchObject({ type: 'function_call', name: 'get_weather', namespace: 'weather' });
  });
});
