import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClockTarget } from '#target';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { ADMIN_TOKEN, adminHeaders, jsonInit, type Target } from '../support/target.ts';

// The usage ledger (contract v1.1, "Usage") on both runtimes: one record per chat completion with
// the tokens the upstream reported, streamed or not, through both protocols; errors counted;
// grouping and periods. Each test uses a key of its own, so its rows are its own.

let clock = Date.parse('2026-12-03T10:15:00.000Z');
let target: Target;
let providers: Record<'openai' | 'anthropic', TestProvider>;

beforeAll(async () => {
  target = await startClockTarget(() => clock);
  const [openai, anthropic] = await Promise.all([createTestProvider(target, 'openai'), createTestProvider(target, 'anthropic')]);
  providers = { openai, anthropic };
});
afterAll(() => target.close());

const protocols = ['openai', 'anthropic'] as const;
const defaultModel = { openai: 'gpt-test', anthropic: 'claude-test' } as const;
const hi = [{ role: 'user', content: 'Hi' }];
// The token kinds and cost of one request to each test provider: gpt-test and claude-test have no
// price, so each such request counts in unpricedRequests (the cost tests are in cost.test.ts). The
// fake Anthropic upstream reports 64 prompt tokens read from its cache and 8 written to it.
const kinds = {
  openai: { cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 1 },
  anthropic: { cachedPromptTokens: 64, cacheWriteTokens: 8, reasoningTokens: 0, costUsd: 0, unpricedRequests: 1 },
} as const;

async function newKey(): Promise<{ id: string; key: string }> {
  return (await target.fetch('/keys', jsonInit('POST', { name: `usage-${crypto.randomUUID().slice(0, 8)}` }))).json();
}

function chatAs(secret: string, body: Record<string, unknown>) {
  return target.fetch('/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ messages: hi, ...body }) });
}

async function usageOf(secret: string, query = ''): Promise<{ data: Array<Record<string, unknown>>; from: string; to: string }> {
  const response = await target.fetch(`/usage${query}`, { headers: { authorization: `Bearer ${secret}` } });
  expect(response.status).toBe(200);
  return response.json();
}

describe.each(protocols)('records through the %s protocol', (protocol) => {
  const model = () => `${providers[protocol].name}/${defaultModel[protocol]}`;

  it('a non-streamed chat, with the tokens the upstream reported', async () => {
    const key = await newKey();
    const completion = await (await chatAs(key.key, { model: model() })).json();
    const { prompt_tokens: promptTokens, completion_tokens: completionTokens } = completion.usage;
    expect(promptTokens).toBeGreaterThan(0);
    expect((await usageOf(key.key)).data).toEqual([{ requests: 1, errors: 0, promptTokens, completionTokens, ...kinds[protocol] }]);
  });

  it('a streamed chat that asked for usage, with the tokens of its usage chunk', async () => {
    const key = await newKey();
    const events = await readSseData(await chatAs(key.key, { model: model(), stream: true, stream_options: { include_usage: true } }));
    const usage = JSON.parse(events.at(-2)!).usage;
    expect((await usageOf(key.key)).data).toEqual([{ requests: 1, errors: 0, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, ...kinds[protocol] }]);
  });

  it('a streamed chat that did not ask for usage, which sees no usage chunk', async () => {
    const reference = await newKey();
    const expected = (await (await chatAs(reference.key, { model: model() })).json()).usage;
    const key = await newKey();
    const events = await readSseData(await chatAs(key.key, { model: model(), stream: true }));
    expect(events.at(-1)).toBe('[DONE]');
    for (const data of events.slice(0, -1)) {
      const chunk = JSON.parse(data);
      expect(chunk.choices.length).toBe(1);
      expect(chunk.usage ?? null).toBeNull();
    }
    expect((await usageOf(key.key)).data).toEqual([{ requests: 1, errors: 0, promptTokens: expected.prompt_tokens, completionTokens: expected.completion_tokens, ...kinds[protocol] }]);
  });
});

describe('the ledger', () => {
  it('asks OpenAI-protocol upstreams for a stream\'s usage', async () => {
    const key = await newKey();
    const marker = `gpt-test@usage-${crypto.randomUUID().slice(0, 8)}`;
    await readSseData(await chatAs(key.key, { model: `${providers.openai.name}/${marker}`, stream: true }));
    const sent = (await upstreamRequestsFor(target, providers.openai)).filter((request) => request.body.includes(marker));
    expect(sent.map((request) => JSON.parse(request.body).stream_options)).toEqual([{ include_usage: true }]);
  });

  it('counts errors, before the answer and inside a stream', async () => {
    const key = await newKey();
    expect((await chatAs(key.key, { model: `${providers.openai.name}/always-500@${key.id}` })).status).toBe(502);
    await readSseData(await chatAs(key.key, { model: `${providers.anthropic.name}/error-after-200@${key.id}`, stream: true }));
    expect((await chatAs(key.key, { model: `${providers.openai.name}/gpt-test` })).status).toBe(200);
    const byModel = (await usageOf(key.key, '?groupBy=model')).data;
    expect(byModel).toEqual([
      // No tokens spent, so nothing to pay whatever the price.
      { model: `always-500@${key.id}`, requests: 1, errors: 1, promptTokens: 0, completionTokens: 0, ...kinds.openai, unpricedRequests: 0 },
      { model: `error-after-200@${key.id}`, requests: 1, errors: 1, promptTokens: expect.any(Number), completionTokens: expect.any(Number), ...kinds.anthropic },
      { model: 'gpt-test', requests: 1, errors: 0, promptTokens: 19, completionTokens: 6, ...kinds.openai },
    ]);
  });

  it('groups by key, provider, model and UTC day, and selects by period', async () => {
    const key = await newKey();
    clock = Date.parse('2026-12-10T23:30:00.000Z');
    await chatAs(key.key, { model: `${providers.openai.name}/gpt-test` });
    clock = Date.parse('2026-12-11T00:30:00.000Z');
    await chatAs(key.key, { model: `${providers.openai.name}/gpt-test` });
    await chatAs(key.key, { model: `${providers.anthropic.name}/claude-test` });

    const all = await usageOf(key.key, '?groupBy=day,provider,key');
    // Rows come by day, then key, provider and model ids (random here), so the order within a day is not known.
    expect(all.data).toHaveLength(3);
    expect(all.data[0]!.day).toBe('2026-12-10');
    expect(all.data).toEqual(expect.arrayContaining([
      { day: '2026-12-10', key: key.id, provider: providers.openai.id, providerName: providers.openai.name, requests: 1, errors: 0, promptTokens: 19, completionTokens: 6, ...kinds.openai },
      { day: '2026-12-11', key: key.id, provider: providers.anthropic.id, providerName: providers.anthropic.name, requests: 1, errors: 0, promptTokens: expect.any(Number), completionTokens: expect.any(Number), ...kinds.anthropic },
      { day: '2026-12-11', key: key.id, provider: providers.openai.id, providerName: providers.openai.name, requests: 1, errors: 0, promptTokens: 19, completionTokens: 6, ...kinds.openai },
    ]));
    const secondDay = await usageOf(key.key, '?from=2026-12-11T00:00:00Z&to=2026-12-12T00:00:00Z&groupBy=day');
    expect(secondDay).toEqual({ data: [{ day: '2026-12-11', requests: 2, errors: 0, promptTokens: expect.any(Number), completionTokens: expect.any(Number), ...kinds.anthropic, unpricedRequests: 2 }], from: '2026-12-11T00:00:00.000Z', to: '2026-12-12T00:00:00.000Z' });
    // The default window is the last 30 days, up to the end of the current hour.
    const defaults = await usageOf(key.key);
    expect(defaults.to).toBe('2026-12-11T01:00:00.000Z');
    expect(defaults.from).toBe('2026-11-11T01:00:00.000Z');
    expect(defaults.data).toEqual([{ requests: 3, errors: 0, promptTokens: expect.any(Number), completionTokens: expect.any(Number), ...kinds.anthropic, unpricedRequests: 3 }]);
  });

  it('shows an access key only its own usage, and the management token everyone\'s', async () => {
    const [alice, bob] = await Promise.all([newKey(), newKey()]);
    await chatAs(alice.key, { model: `${providers.openai.name}/gpt-test` });
    await chatAs(bob.key, { model: `${providers.openai.name}/gpt-test` });
    expect((await usageOf(alice.key, '?groupBy=key')).data).toEqual([{ key: alice.id, requests: 1, errors: 0, promptTokens: 19, completionTokens: 6, ...kinds.openai }]);
    const everyone = (await usageOf(ADMIN_TOKEN, '?groupBy=key')).data.map((row) => row.key);
    expect(everyone).toEqual(expect.arrayContaining([alice.id, bob.id]));
  });

  it('names each provider row, for a key that cannot list providers; a deleted provider keeps only its id', async () => {
    const key = await newKey();
    const doomed = await createTestProvider(target, 'openai');
    await chatAs(key.key, { model: `${providers.openai.name}/gpt-test` });
    await chatAs(key.key, { model: `${doomed.name}/gpt-test` });
    expect((await target.fetch(`/providers/${doomed.id}`, { method: 'DELETE', headers: adminHeaders })).status).toBe(204);
    const rows = (await usageOf(key.key, '?groupBy=provider')).data;
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(expect.arrayContaining([
      { provider: providers.openai.id, providerName: providers.openai.name, requests: 1, errors: 0, promptTokens: 19, completionTokens: 6, ...kinds.openai },
      { provider: doomed.id, requests: 1, errors: 0, promptTokens: 19, completionTokens: 6, ...kinds.openai },
    ]));
    expect((await usageOf(key.key, '?groupBy=model')).data).toEqual([{ model: 'gpt-test', requests: 2, errors: 0, promptTokens: 38, completionTokens: 12, ...kinds.openai, unpricedRequests: 2 }]);
  });

  it.each([
    ['?groupBy=week', 'groupBy'],
    ['?from=yesterday', 'from'],
    ['?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', 'from'],
    ['?colour=blue', 'colour'],
  ])('refuses %s naming %s', async (query, field) => {
    const response = await target.fetch(`/usage${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field } });
  });
});
