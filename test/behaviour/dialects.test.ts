import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { HELLO_TEXT, LENGTH_PIECES, tokenPieces } from '../support/fake-upstream/scenarios.ts';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { CLIENT_TOKEN, jsonInit, type Target } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';

// What the Messages and Responses routes share with chat, because they run through the same
// exchange: access keys (scope, budget) and the ledger, fallbacks across protocols, the response
// cache, client abort, length cuts; and the native routes (an anthropic provider's count_tokens,
// a provider that serves Responses itself). Both runtimes.

let target: Target;
let openai: TestProvider;
let anthropic: TestProvider;
let responsesProvider: TestProvider;

beforeAll(async () => {
  target = await startBehaviourTarget();
  openai = await createTestProvider(target, 'openai');
  anthropic = await createTestProvider(target, 'anthropic');
  responsesProvider = await createTestProvider(target, 'openai', { responsesApi: true });
});
afterAll(() => target.close());

const hi = [{ role: 'user' as const, content: 'Hi' }];
const json = { 'content-type': 'application/json' };
const unique = () => crypto.randomUUID().slice(0, 8);

async function createKey(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const response = await target.fetch('/keys', jsonInit('POST', { name: `dialects-${unique()}`, ...body }));
  expect(response.status).toBe(201);
  return response.json();
}

function postAs(secret: string, path: '/messages' | '/messages/count_tokens' | '/responses', body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const credential: Record<string, string> = path === '/responses' ? { authorization: `Bearer ${secret}` } : { 'x-api-key': secret };
  return target.fetch(path, { method: 'POST', headers: { ...json, authorization: '', ...credential, ...headers }, body: JSON.stringify(body) });
}

/** The answer's text, from a Messages stream or a JSON Message or Response. */
function answerTextOf(path: string, text: string): string {
  if (text.startsWith('event:')) {
    return text.split('\n\n').filter(Boolean).map((event) => JSON.parse(event.split('\ndata: ')[1]!)).filter((event) => event.delta?.type === 'text_delta').map((event) => event.delta.text).join('');
  }
  const body = JSON.parse(text);
  return path === '/messages' ? body.content[0].text : body.output[0].content[0].text;
}

const messagesBody = (model: string, extra: Record<string, unknown> = {}) => ({ model, max_tokens: 64, messages: hi, ...extra });
const responsesBody = (model: string, extra: Record<string, unknown> = {}) => ({ model, input: 'Hi', ...extra });

describe('access keys on the new routes', () => {
  it('may call them within their scope (x-api-key on /messages), and the ledger records each under the key', async () => {
    const key = await createKey({ models: [`${openai.name}/*`, `${anthropic.name}/*`] });
    expect((await postAs(key.key, '/messages', messagesBody(`${openai.name}/gpt-test`))).status).toBe(200);
    const streamedMessages = await postAs(key.key, '/messages', messagesBody(`${anthropic.name}/claude-test`, { stream: true }));
    expect(streamedMessages.status).toBe(200);
    // A stream is recorded when it ends: read it to its end before asking for usage.
    await streamedMessages.text();
    const streamed = await postAs(key.key, '/responses', responsesBody(`${openai.name}/gpt-test`, { stream: true }));
    await streamed.text();
    const usage = await (await target.fetch('/usage?groupBy=provider', { headers: { authorization: `Bearer ${key.key}` } })).json();
    const byProvider = Object.fromEntries(usage.data.map((row: { provider: string }) => [row.provider, row]));
    expect(byProvider[openai.id]).toMatchObject({ requests: 2, errors: 0, promptTokens: 19 * 2, completionTokens: tokenPieces(HELLO_TEXT).length * 2 });
    expect(byProvider[anthropic.id]).toMatchObject({ requests: 1, errors: 0, promptTokens: 21 + 8 + 64, completionTokens: tokenPieces(HELLO_TEXT).length });
  });

  it('are refused a model outside their scope, in each route\'s own error shape, with nothing sent', async () => {
    const key = await createKey({ models: [`${openai.name}/gpt-test`] });
    const before = (await upstreamRequestsFor(target, anthropic)).length;
    const messages = await postAs(key.key, '/messages', messagesBody(`${anthropic.name}/claude-test`));
    expect(messages.status).toBe(403);
    expect(await messages.json()).toEqual({ type: 'error', error: { type: 'permission_error', gateway_code: 'FORBIDDEN', message: `This access key may not use ${anthropic.name}/claude-test` } });
    const responses = await postAs(key.key, '/responses', responsesBody(`${anthropic.name}/claude-test`));
    expect(responses.status).toBe(403);
    expect(await responses.json()).toEqual({ error: { code: 'FORBIDDEN', message: `This access key may not use ${anthropic.name}/claude-test` } });
    const counted = await postAs(key.key, '/messages/count_tokens', { model: `${anthropic.name}/claude-test`, messages: hi });
    expect(counted.status).toBe(403);
    expect((await upstreamRequestsFor(target, anthropic)).length).toBe(before);
  });

  it('stop at their budget: 429 QUOTA_EXCEEDED on every route, nothing sent', async () => {
    // Each request reserves its worst case first: its max_tokens (64) plus about 23 for its body.
    // The first fits in 100; its answer (19 prompt + 8 completion tokens) leaves too little for a
    // second, and /responses without max_output_tokens reserves 4,096.
    const key = await createKey({ budget: { tokens: 100, period: 'day' } });
    expect((await postAs(key.key, '/messages', messagesBody(`${openai.name}/gpt-test`))).status).toBe(200);
    const before = (await upstreamRequestsFor(target, openai)).length;
    const messages = await postAs(key.key, '/messages', messagesBody(`${openai.name}/gpt-test`));
    expect(messages.status).toBe(429);
    expect((await messages.json()).error).toMatchObject({ type: 'rate_limit_error', gateway_code: 'QUOTA_EXCEEDED' });
    const responses = await postAs(key.key, '/responses', responsesBody(`${openai.name}/gpt-test`));
    expect(responses.status).toBe(429);
    expect((await responses.json()).error).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect((await upstreamRequestsFor(target, openai)).length).toBe(before);
  });
});

describe('the exchange under every dialect', () => {
  it('falls back across protocols: an anthropic provider\'s 500, then an openai one, translated', async () => {
    const failing = await createTestProvider(target, 'anthropic');
    const response = await target.fetch('/messages', jsonInit('POST', messagesBody(`${failing.name}/always-500`, { models: [`${openai.name}/gpt-test`] }), json));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-provider')).toBe(openai.name);
    expect((await response.json()).content).toEqual([{ type: 'text', text: HELLO_TEXT }]);
    const [received] = (await upstreamRequestsFor(target, openai)).slice(-1);
    expect(JSON.parse(received!.body).models).toBeUndefined();
  });

  it('answers an identical request from the response cache: one upstream call, for translated and native answers alike', async () => {
    for (const [path, body, provider] of [
      ['/messages', messagesBody(`${openai.name}/gpt-test`, { stream: true, messages: [{ role: 'user', content: `cache ${unique()}` }] }), openai],
      ['/messages', messagesBody(`${anthropic.name}/claude-test`, { messages: [{ role: 'user', content: `cache ${unique()}` }] }), anthropic],
      ['/messages', messagesBody(`${anthropic.name}/claude-test`, { stream: true, messages: [{ role: 'user', content: `cache ${unique()}` }] }), anthropic],
      ['/responses', responsesBody(`${openai.name}/gpt-test`, { input: `cache ${unique()}` }), openai],
    ] as const) {
      const before = (await upstreamRequestsFor(target, provider)).length;
      const first = await target.fetch(path, jsonInit('POST', body, { ...json, 'x-gateway-cache-ttl': '60' }));
      const firstText = await first.text();
      const second = await target.fetch(path, jsonInit('POST', body, { ...json, 'x-gateway-cache-ttl': '60' }));
      const secondText = await second.text();
      expect([first.headers.get('x-gateway-cache-status'), second.headers.get('x-gateway-cache-status')], path).toEqual(['MISS', 'HIT']);
      expect((await upstreamRequestsFor(target, provider)).length - before, path).toBe(1);
      // A hit is told whole (one delta), as the same answer.
      expect(answerTextOf(path, secondText), path).toBe(answerTextOf(path, firstText));
      expect(answerTextOf(path, secondText), path).toBe(HELLO_TEXT);
    }
  });

  it('tells a length cut the way each dialect does: max_tokens, and an incomplete response', async () => {
    const cut = tokenPieces(HELLO_TEXT).slice(0, LENGTH_PIECES).join('');
    const message = await (await target.fetch('/messages', jsonInit('POST', messagesBody(`${openai.name}/length`), json))).json();
    expect(message).toMatchObject({ content: [{ type: 'text', text: cut }], stop_reason: 'max_tokens' });
    const streamed = (await readSseData(await target.fetch('/messages', jsonInit('POST', messagesBody(`${openai.name}/length`, { stream: true }), json)))).map((data) => JSON.parse(data));
    expect(streamed.at(-2)).toEqual({ type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { input_tokens: 19, cache_read_input_tokens: 0, output_tokens: LENGTH_PIECES } });
    const response = await (await target.fetch('/responses', jsonInit('POST', responsesBody(`${anthropic.name}/length`), json))).json();
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ type: 'message', content: [{ type: 'output_text', text: cut }] }] });
    const events = (await readSseData(await target.fetch('/responses', jsonInit('POST', responsesBody(`${openai.name}/length`, { stream: true }), json)))).map((data) => JSON.parse(data));
    expect(events.at(-1)).toMatchObject({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } });
  });

  for (const path of ['/messages', '/responses'] as const) {
    it(`stops the upstream call when the client aborts a ${path} stream`, async () => {
      const model = `slow@dialect-abort${path.replace('/', '-')}-${target.runtime}`;
      const controller = new AbortController();
      const body = path === '/messages' ? messagesBody(`${openai.name}/${model}`, { stream: true }) : responsesBody(`${openai.name}/${model}`, { stream: true });
      const response = await target.fetch(path, { ...jsonInit('POST', body, json), signal: controller.signal });
      const reader = response.body!.getReader();
      let received = '';
      while (!received.includes('Chunk 3.')) received += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      await reader.cancel().catch(() => undefined);
      const deadline = Date.now() + 2000;
      let progress = await upstreamControl(target.upstreamUrl).streamProgress(model);
      while (!progress.aborted && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        progress = await upstreamControl(target.upstreamUrl).streamProgress(model);
      }
      expect(progress).toMatchObject({ aborted: true, finished: false });
      expect(progress.chunksWritten).toBeLessThan(20);
    });
  }
});

describe('native routes', () => {
  it('count_tokens: an anthropic provider counts itself, with the stored key', async () => {
    const client = new Anthropic({ baseURL: target.apiBase.replace(/\/v1$/, ''), apiKey: CLIENT_TOKEN, fetch: target.rawFetch, maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'How many tokens?' }];
    expect(await client.messages.countTokens({ model: `${anthropic.name}/claude-test`, messages })).toEqual({ input_tokens: Math.ceil(JSON.stringify(messages).length / 3) });
    const [received] = (await upstreamRequestsFor(target, anthropic)).slice(-1);
    expect(received!.path).toBe('/anthropic/v1/messages/count_tokens');
    expect(JSON.parse(received!.body)).toEqual({ model: 'claude-test', messages });
  });

  it('a provider with responsesApi: true gets the request as sent and its answer comes back as it wrote it', async () => {
    const client = new OpenAI({ apiKey: CLIENT_TOKEN, baseURL: target.apiBase, fetch: target.rawFetch, maxRetries: 0 });
    const response = await client.responses.create({ model: `${responsesProvider.name}/gpt-test`, input: 'Hi', previous_response_id: 'resp_upstream1', store: true, include: ['reasoning.encrypted_content'] });
    expect(response).toMatchObject({ object: 'response', status: 'completed', previous_response_id: 'resp_upstream1', usage: { input_tokens: 17 } });
    expect(response.output_text).toBe(HELLO_TEXT);
    const [received] = (await upstreamRequestsFor(target, responsesProvider)).slice(-1);
    expect(received!.path).toBe('/openai/v1/responses');
    expect(JSON.parse(received!.body)).toEqual({ model: 'gpt-test', input: 'Hi', previous_response_id: 'resp_upstream1', store: true, include: ['reasoning.encrypted_content'] });
    const stream = client.responses.stream({ model: `${responsesProvider.name}/gpt-test`, input: 'Hi' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    expect((await stream.finalResponse()).output_text).toBe(HELLO_TEXT);
    expect(deltas).toEqual(tokenPieces(HELLO_TEXT));
  });
});
