import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createTestProvider, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { adminHeaders, jsonInit, type Target } from '../support/target.ts';

// The request log (contract v1.2, "Traces and the request log") over HTTP on every runtime: the
// rows chat, messages and responses leave, newest first, with the request's id, its route, its
// tokens as the upstream reported them and its error code; paging while requests arrive; filters;
// an access key sees only its own. Each test reads the rows of a provider of its own.

let target: Target;
let openai: TestProvider;

beforeAll(async () => {
  target = await startBehaviourTarget();
  openai = await createTestProvider(target, 'openai');
});
afterAll(() => target.close());

const PROMPT = 'a prompt the log must never hold 8f3a';
const hi = [{ role: 'user', content: PROMPT }];
const asAdmin = { authorization: adminHeaders.authorization };

function post(path: string, body: Record<string, unknown>, headers: Record<string, string> = adminHeaders) {
  return target.fetch(path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function logs(query: string, headers: Record<string, string> = asAdmin): Promise<{ data: Array<Record<string, unknown>>; next?: string }> {
  const response = await target.fetch(`/logs${query}`, { headers });
  expect(response.status).toBe(200);
  return response.json();
}

async function newProvider() {
  return createTestProvider(target, 'openai');
}

describe('GET /logs', () => {
  it('shows each request, newest first, with its request id, route, tokens and cache status, and no prompt', async () => {
    const provider = await newProvider();
    const model = `${provider.name}/gpt-test`;
    const plain = await post('/chat/completions', { model, messages: hi });
    const completion = await plain.json();
    const streamed = await post('/chat/completions', { model, messages: hi, stream: true, stream_options: { include_usage: true } });
    const usage = JSON.parse((await readSseData(streamed)).at(-2)!).usage;
    const cached = await post('/chat/completions', { model, messages: hi }, { ...adminHeaders, 'x-gateway-cache-ttl': '60' });
    expect(cached.status).toBe(200);
    await cached.text();

    const response = await target.fetch(`/logs?provider=${provider.id}`, { headers: asAdmin });
    const text = await response.text();
    expect(text).not.toContain(PROMPT);
    expect(text).not.toContain(completion.choices[0].message.content);
    const { data, next } = JSON.parse(text);
    expect(next).toBeUndefined();
    const common = { route: 'chat', keyId: null, providerId: provider.id, model: 'gpt-test', status: 'ok', cachedPromptTokens: 0, reasoningTokens: 0, costUsd: null };
    expect(data).toEqual([
      { ...common, id: expect.any(String), time: expect.any(String), requestId: cached.headers.get('x-request-id'), stream: false, latencyMs: expect.any(Number), ttftMs: null, promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens, cache: 'MISS' },
      { ...common, id: expect.any(String), time: expect.any(String), requestId: streamed.headers.get('x-request-id'), stream: true, latencyMs: expect.any(Number), ttftMs: expect.any(Number), promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, cache: null },
      { ...common, id: expect.any(String), time: expect.any(String), requestId: plain.headers.get('x-request-id'), stream: false, latencyMs: expect.any(Number), ttftMs: null, promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens, cache: null },
    ]);
    expect(new Set(data.map((row: { id: string }) => row.id)).size).toBe(3);
    expect(Date.parse(data[2].time)).toBeLessThanOrEqual(Date.parse(data[0].time));
  });

  it('names the route: messages, responses and embeddings as well as chat', async () => {
    const provider = await newProvider();
    await (await post('/messages', { model: `${provider.name}/gpt-test`, max_tokens: 50, messages: hi })).text();
    await (await post('/responses', { model: `${provider.name}/gpt-test`, input: PROMPT, store: false })).text();
    const embedded = await post('/embeddings', { model: `${provider.name}/text-embedding-test`, input: PROMPT });
    expect(embedded.status).toBe(200);
    const { usage } = await embedded.json();
    const { data } = await logs(`?provider=${provider.name}`);
    expect(data.map((row) => [row.route, row.status, row.stream])).toEqual([['embeddings', 'ok', false], ['responses', 'ok', false], ['messages', 'ok', false]]);
    expect(data[0]).toMatchObject({ requestId: embedded.headers.get('x-request-id'), promptTokens: usage.prompt_tokens, completionTokens: 0 });
  });

  it('shows a failure with the error code the client got, before or during a stream', async () => {
    const provider = await newProvider();
    const refused = await post('/chat/completions', { model: `${provider.name}/always-500`, messages: hi });
    expect(refused.status).toBe(502);
    await refused.text();
    const broken = await post('/chat/completions', { model: `${provider.name}/error-after-200`, messages: hi, stream: true });
    expect((await readSseData(broken)).at(-1)).toContain('PROVIDER_ERROR');
    await (await post('/chat/completions', { model: `${provider.name}/gpt-test`, messages: hi })).text();

    const errors = await logs(`?provider=${provider.id}&status=error`);
    expect(errors.data.map((row) => [row.model, row.status, row.errorCode, row.stream])).toEqual([
      ['error-after-200', 'error', 'PROVIDER_ERROR', true],
      ['always-500', 'error', 'PROVIDER_ERROR', false],
    ]);
    expect((await logs(`?provider=${provider.id}&status=ok`)).data.map((row) => [row.model, row.errorCode])).toEqual([['gpt-test', undefined]]);
    expect((await logs(`?provider=${provider.id}&model=always-500`)).data.map((row) => row.requestId)).toEqual([refused.headers.get('x-request-id')]);
  });

  it('pages with `next` without gaps or repeats while requests keep arriving', async () => {
    const provider = await newProvider();
    const chat = async () => {
      const response = await post('/chat/completions', { model: `${provider.name}/gpt-test`, messages: hi });
      await response.text();
      return response.headers.get('x-request-id')!;
    };
    const before: string[] = [];
    for (let index = 0; index < 5; index++) before.push(await chat());
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await logs(`?provider=${provider.id}&limit=2${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((row) => row.requestId as string));
      await chat();
      cursor = page.next;
    } while (cursor !== undefined);
    expect(seen).toEqual(before.reverse());
  });

  it('lets an access key read only its own requests', async () => {
    const provider = await newProvider();
    const keyOf = async (name: string) => (await target.fetch('/keys', jsonInit('POST', { name }))).json() as Promise<{ id: string; key: string }>;
    const [mine, theirs] = await Promise.all([keyOf('logs-mine'), keyOf('logs-theirs')]);
    for (const key of [mine, theirs, mine]) await (await post('/chat/completions', { model: `${provider.name}/gpt-test`, messages: hi }, { authorization: `Bearer ${key.key}` })).text();
    await (await post('/chat/completions', { model: `${provider.name}/gpt-test`, messages: hi })).text();

    const own = await logs(`?provider=${provider.id}`, { authorization: `Bearer ${mine.key}` });
    expect(own.data.map((row) => row.keyId)).toEqual([mine.id, mine.id]);
    const refused = await target.fetch(`/logs?key=${theirs.id}`, { headers: { authorization: `Bearer ${mine.key}` } });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('FORBIDDEN');
    expect((await logs(`?provider=${provider.id}`)).data.map((row) => row.keyId)).toEqual([null, mine.id, theirs.id, mine.id]);
    expect((await logs(`?provider=${provider.id}&key=${theirs.id}`)).data.map((row) => row.keyId)).toEqual([theirs.id]);
  });

  it('is a management route: the shared client token is refused', async () => {
    const response = await target.fetch('/logs');
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('UNAUTHORIZED');
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=ten', 'limit'],
    ['status=failed', 'status'],
    ['before=not-a-cursor', 'before'],
    ['colour=blue', 'colour'],
  ])('refuses %s with a 400 naming the field', async (query, field) => {
    const response = await target.fetch(`/logs?${query}`, { headers: asAdmin });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.details.field).toBe(field);
  });
});
