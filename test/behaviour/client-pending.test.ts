import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createGatewayClient, GatewayError, type ChatCompletionChunk, type GatewayClient, type ResponseInfo } from 'llm-gateway-client';
import { HELLO_TEXT } from '../support/fake-upstream/scenarios.ts';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { ADMIN_TOKEN, type Target } from '../support/target.ts';

// The client's methods for contract v1.1 routes that main does not serve yet: providers.import,
// keys.*, usage, and the X-Gateway-* headers of fallbacks and the response cache. Each describe is
// skipped until its server side lands; the file still type-checks against the client's API.

const CANARY_KEY = 'sk-CANARY-pending-5a4b3c2d1e0f9876';

let target: Target;
let gateway: GatewayClient;
let provider: TestProvider;

beforeAll(async () => {
  target = await startBehaviourTarget();
  gateway = createGatewayClient({ baseUrl: target.apiBase, token: ADMIN_TOKEN, fetch: target.rawFetch });
  provider = await createTestProvider(target, 'openai');
});
afterAll(() => target.close());

const hi = [{ role: 'user', content: 'Hi' }];
const entry = (name: string, apiKey = CANARY_KEY) => ({ name, baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey, routingMethod: 'openai' as const });
const uniqueName = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

async function gatewayErrorFrom(call: () => Promise<unknown>): Promise<GatewayError> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected the call to fail');
}

async function textOf(stream: AsyncIterable<ChatCompletionChunk>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

// Enabled when POST /providers/import lands.
describe('providers.import()', () => {
  it('creates every entry, or with dryRun only says it would', async () => {
    const names = [uniqueName('import'), uniqueName('import')];
    const dry = await gateway.providers.import(names.map((name) => entry(name)), { dryRun: true });
    expect(dry).toEqual({ created: names.map((name) => expect.objectContaining({ name, apiKeyHint: '…9876' })), replaced: [], skipped: [], dryRun: true });
    expect((await gateway.providers.list()).map((stored) => stored.name)).not.toContain(names[0]);

    const result = await gateway.providers.import(names.map((name) => entry(name)));
    expect(result).toEqual({ created: names.map((name) => expect.objectContaining({ name, apiKeyHint: '…9876' })), replaced: [], skipped: [], dryRun: false });
    expect(await gateway.providers.list()).toEqual(expect.arrayContaining(result.created));
  });

  it('skips or replaces names that exist (case-insensitively), keeping id and createdAt on replace', async () => {
    const existing = await gateway.providers.create(entry(uniqueName('import')));
    const skipped = await gateway.providers.import([entry(existing.name.toUpperCase())], { onConflict: 'skip' });
    expect(skipped).toEqual({ created: [], replaced: [], skipped: [{ index: 0, name: existing.name.toUpperCase(), reason: expect.any(String) }], dryRun: false });

    const replaced = await gateway.providers.import([entry(existing.name, 'sk-CANARY-replaced-000000005555')], { onConflict: 'replace' });
    expect(replaced.replaced).toEqual([expect.objectContaining({ id: existing.id, createdAt: existing.createdAt, apiKeyHint: '…5555' })]);
  });

  it('stores nothing when one entry fails: 409 CONFLICT or 400 naming the index', async () => {
    const existing = await gateway.providers.create(entry(uniqueName('import')));
    const fresh = uniqueName('import');
    const conflict = await gatewayErrorFrom(() => gateway.providers.import([entry(fresh), entry(existing.name)]));
    expect(conflict).toMatchObject({ status: 409, code: 'CONFLICT', details: expect.objectContaining({ index: 1 }) });

    const invalid = await gatewayErrorFrom(() => gateway.providers.import([entry(fresh), { ...entry(uniqueName('import')), baseUrl: 'not a url' }]));
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', details: expect.objectContaining({ index: 1, field: expect.stringMatching(/baseUrl$/) }) });

    const twice = await gatewayErrorFrom(() => gateway.providers.import([entry(fresh), entry(fresh.toUpperCase())]));
    expect(twice).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', details: expect.objectContaining({ index: 1 }) });
    expect((await gateway.providers.list()).map((stored) => stored.name)).not.toContain(fresh);
  });
});

// Enabled when the /keys routes and access-key auth land.
describe('keys', () => {
  it('create shows the secret once; list, get, update and delete never do', async () => {
    const created = await gateway.keys.create({ name: 'ui', providers: [provider.name], budget: { tokens: 1000, period: 'day' } });
    expect(created.key).toMatch(/^gwk_/);
    expect(created).toMatchObject({ name: 'ui', providers: [provider.id], models: null, rateLimit: null, budget: { tokens: 1000, period: 'day' }, expiresAt: null, disabled: false, lastUsedAt: null });
    const hint = created.keyHint.replace(/^gwk_…?/, '');
    expect(hint.length).toBeLessThanOrEqual(4);
    expect(created.key.endsWith(hint)).toBe(true);

    const { key: _secret, ...stored } = created;
    expect(await gateway.keys.get(created.id)).toEqual(stored);
    expect(await gateway.keys.list()).toContainEqual(stored);
    expect(JSON.stringify(await gateway.keys.list())).not.toContain(created.key);
    expect(await gateway.keys.update(created.id, { disabled: true })).toEqual({ ...stored, disabled: true, updatedAt: expect.any(String) });
    expect(await gateway.keys.delete(created.id)).toBeUndefined();
    expect(await gatewayErrorFrom(() => gateway.keys.get(created.id))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('a key chats within its scope, is FORBIDDEN outside it, and UNAUTHORIZED once disabled', async () => {
    const created = await gateway.keys.create({ name: 'scoped', models: [`${provider.name}/gpt-*`] });
    const asKey = createGatewayClient({ baseUrl: target.apiBase, token: created.key, fetch: target.rawFetch });
    expect((await asKey.chat({ model: `${provider.name}/gpt-test`, messages: hi })).choices[0]!.message.content).toBe(HELLO_TEXT);
    expect((await asKey.models()).data.map((model) => model.id)).toEqual([`${provider.name}/gpt-test`, `${provider.name}/gpt-4o-mini`]);

    const before = (await upstreamRequestsFor(target, provider)).length;
    expect(await gatewayErrorFrom(() => asKey.chat({ model: `${provider.name}/tools`, messages: hi }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await gatewayErrorFrom(() => asKey.providers.list())).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await upstreamRequestsFor(target, provider)).length).toBe(before);

    await gateway.keys.update(created.id, { disabled: true });
    expect(await gatewayErrorFrom(() => asKey.chat({ model: `${provider.name}/gpt-test`, messages: hi }))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('a key over its budget gets 429 QUOTA_EXCEEDED, and nothing goes upstream', async () => {
    // 10 tokens cannot take the worst case of any request (its prompt alone is estimated at more).
    const created = await gateway.keys.create({ name: 'budget', budget: { tokens: 10, period: 'total' } });
    const asKey = createGatewayClient({ baseUrl: target.apiBase, token: created.key, fetch: target.rawFetch });
    const before = (await upstreamRequestsFor(target, provider)).length;
    expect(await gatewayErrorFrom(() => asKey.chat({ model: `${provider.name}/gpt-test`, messages: hi }))).toMatchObject({ status: 429, code: 'QUOTA_EXCEEDED' });
    expect((await upstreamRequestsFor(target, provider)).length).toBe(before);
  });
});

// Enabled when GET /usage and the usage ledger land.
describe('usage()', () => {
  it('sums a key\'s own chats, streamed or not, grouped as asked', async () => {
    const created = await gateway.keys.create({ name: 'usage' });
    const asKey = createGatewayClient({ baseUrl: target.apiBase, token: created.key, fetch: target.rawFetch });
    await asKey.chat({ model: `${provider.name}/gpt-test`, messages: hi });
    expect(await textOf(asKey.streamChat({ model: `${provider.name}/gpt-test`, messages: hi }))).toBe(HELLO_TEXT);

    const report = await asKey.usage();
    expect(report).toEqual({ data: [{ requests: 2, errors: 0, promptTokens: 38, completionTokens: 12, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 2 }], from: expect.any(String), to: expect.any(String) });
    const grouped = await asKey.usage({ groupBy: ['provider', 'model'] });
    expect(grouped.data).toEqual([{ provider: provider.id, providerName: provider.name, model: 'gpt-test', requests: 2, errors: 0, promptTokens: 38, completionTokens: 12, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 2 }]);
  });
});

// Enabled when fallbacks, the circuit breaker and the response cache land.
describe('routing headers', () => {
  it('onResponse names the provider that served a fallback', async () => {
    const failing = await createTestProvider(target, 'openai');
    const seen: ResponseInfo[] = [];
    const completion = await gateway.chat({ model: `${failing.name}/always-500`, models: [`${provider.name}/gpt-test`], messages: hi }, { onResponse: (info) => seen.push(info) });
    expect(completion.choices[0]!.message.content).toBe(HELLO_TEXT);
    expect(seen).toEqual([expect.objectContaining({ status: 200, provider: provider.name })]);
  });

  it('cacheTtlSeconds: MISS, then HIT as JSON and as a stream; noCache: BYPASS', async () => {
    const request = { model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: `echo: cache ${crypto.randomUUID()}` }] };
    const statuses: Array<string | null> = [];
    const onResponse = (info: ResponseInfo) => statuses.push(info.cacheStatus);
    const first = await gateway.chat(request, { cacheTtlSeconds: 60, onResponse });
    expect(await gateway.chat(request, { cacheTtlSeconds: 60, onResponse })).toEqual(first);
    expect(await textOf(gateway.streamChat(request, { cacheTtlSeconds: 60, onResponse }))).toBe(request.messages[0]!.content);
    await gateway.chat(request, { cacheTtlSeconds: 60, noCache: true, onResponse });
    await gateway.chat(request, { onResponse });
    expect(statuses).toEqual(['MISS', 'HIT', 'HIT', 'BYPASS', null]);
  });

  it('providers.health() reports the circuit', async () => {
    expect(await gateway.providers.health(provider.id)).toMatchObject({ status: 'ok', circuit: 'closed' });
  });
});
