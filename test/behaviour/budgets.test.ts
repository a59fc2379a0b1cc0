import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { jsonInit, type Target } from '../support/target.ts';

// Budgets that cannot be raced or dodged (contract v1.2, "Hardening"), on both runtimes and on
// Redis: a request of a key with a budget reserves its worst case before it goes out, so
// concurrent requests cannot together pass the budget; a failed request gives its reservation
// back; and a stream the client abandons is recorded with the upstream's usage or an estimate,
// never with 0 tokens.

let target: Target;
const providers: Record<'openai' | 'anthropic', TestProvider> = {} as never;

beforeAll(async () => {
  target = await startBehaviourTarget();
  [providers.openai, providers.anthropic] = await Promise.all([createTestProvider(target, 'openai'), createTestProvider(target, 'anthropic')]);
});
afterAll(() => target.close());

const protocols = ['openai', 'anthropic'] as const;
const hi = [{ role: 'user', content: 'Hi' }];
const unique = () => crypto.randomUUID().slice(0, 8);
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** The documented worst case: a quarter of the body's UTF-8 bytes (rounded up) for the prompt, plus max_tokens. */
// No provider here has a price: every record is unpriced, with no token kinds unless the upstream reported them.
const unpriced = (requests: number) => ({ cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: requests });
const worstCase = (body: Record<string, unknown> & { max_tokens: number }) => Math.ceil(utf8Bytes(JSON.stringify(body)) / 4) + body.max_tokens;

async function createKey(budget?: { tokens: number; period: 'day' | 'month' | 'total' }) {
  const response = await target.fetch('/keys', jsonInit('POST', { name: `budget-${unique()}`, ...(budget ? { budget } : {}) }));
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

function chatAs(secret: string, body: Record<string, unknown>, init: RequestInit = {}) {
  return target.fetch('/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body), ...init });
}

async function usageOf(secret: string): Promise<Array<Record<string, unknown>>> {
  const response = await target.fetch('/usage', { headers: { authorization: `Bearer ${secret}` } });
  expect(response.status).toBe(200);
  return (await response.json()).data;
}

/** The key's usage once `requests` records are in (a stream's is written as it ends, after the client left). */
async function usageOnceRecorded(secret: string, requests: number): Promise<Array<Record<string, unknown>>> {
  const deadline = Date.now() + 5_000;
  let rows = await usageOf(secret);
  while (Number(rows[0]?.requests ?? 0) < requests && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    rows = await usageOf(secret);
  }
  return rows;
}

/** Reads a streamed answer until its text holds `until`, then hangs up. */
async function readUntilThenLeave(response: Response, controller: AbortController, until: string): Promise<string> {
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(until)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  controller.abort();
  await reader.cancel().catch(() => undefined);
  return text;
}

describe('reservations', () => {
  it('lets 20 concurrent requests to a slow upstream spend no more than a 50-token budget', async () => {
    const key = await createKey({ tokens: 50, period: 'day' });
    const body = { model: `${providers.openai.name}/slow-400@budget-${unique()}`, messages: hi, max_tokens: 6 };
    const fits = Math.floor(50 / worstCase(body));
    expect(fits).toBeGreaterThanOrEqual(1);

    const answers = await Promise.all(Array.from({ length: 20 }, () => chatAs(key.key, body)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(fits);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - fits);
    for (const refused of answers.filter((answer) => answer.status === 429)) {
      expect((await refused.json()).error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { budget: { tokens: 50, period: 'day' }, requested: worstCase(body) } });
    }
    // Nothing was sent for a refused request, and what was spent is within the budget.
    const sent = (await upstreamRequestsFor(target, providers.openai)).filter((request) => request.body.includes(body.model.split('/')[1]!));
    expect(sent).toHaveLength(fits);
    // The fake upstream answers 19 prompt and 6 completion tokens.
    expect(await usageOf(key.key)).toEqual([{ requests: fits, errors: 0, promptTokens: 19 * fits, completionTokens: 6 * fits, ...unpriced(fits) }]);
    expect(25 * fits).toBeLessThanOrEqual(50);
  });

  it('holds the reservation while a stream runs, and settles it to the real figure when it ends', async () => {
    const stream = { model: `${providers.openai.name}/slow-30@hold-${unique()}`, messages: hi, max_tokens: 6, stream: true };
    const other = { model: `${providers.openai.name}/gpt-test@hold-${unique()}`, messages: hi, max_tokens: 6 };
    // Room for either request alone, not for both at once.
    const key = await createKey({ tokens: worstCase(stream) + worstCase(other) - 1, period: 'day' });
    const streaming = await chatAs(key.key, stream);
    expect(streaming.status).toBe(200);
    const refused = await chatAs(key.key, other);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { used: 0, reserved: worstCase(stream), requested: worstCase(other) } });
    expect(await streaming.text()).toContain('[DONE]');
    // The stream settled to what the upstream reported (19 prompt tokens, 4 per chunk of its 100),
    // past its reservation: nothing is left for the next request.
    expect(await usageOf(key.key)).toEqual([{ requests: 1, errors: 0, promptTokens: 19, completionTokens: 400, ...unpriced(1) }]);
    expect((await chatAs(key.key, other)).status).toBe(429);
  });

  it('gives a failed request\'s reservation back', async () => {
    const failing = { model: `${providers.openai.name}/always-500@release-${unique()}`, messages: hi, max_tokens: 6 };
    const working = { model: `${providers.openai.name}/gpt-test@release-${unique()}`, messages: hi, max_tokens: 6 };
    // Room for one request at a time: the second fits only if the first gave its reservation back.
    const key = await createKey({ tokens: Math.max(worstCase(failing), worstCase(working)), period: 'day' });
    expect((await chatAs(key.key, failing)).status).toBe(502);
    expect((await chatAs(key.key, working)).status).toBe(200);
  });

  it('refuses a request whose worst case does not fit, naming what it needs, and sends nothing', async () => {
    const key = await createKey({ tokens: 1000, period: 'day' });
    // No max_tokens: the documented default of 4,096 completion tokens is reserved.
    const body = { model: `${providers.openai.name}/gpt-test@default-${unique()}`, messages: hi };
    const refused = await chatAs(key.key, body);
    expect(refused.status).toBe(429);
    const requested = Math.ceil(utf8Bytes(JSON.stringify(body)) / 4) + 4096;
    expect((await refused.json()).error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { budget: { tokens: 1000, period: 'day' }, used: 0, reserved: 0, requested } });
    expect((await upstreamRequestsFor(target, providers.openai)).filter((request) => request.body.includes(body.model.split('/')[1]!))).toEqual([]);
    expect((await chatAs(key.key, { ...body, max_tokens: 100 })).status).toBe(200);
  });
});

describe.each(protocols)('a stream the client abandons (%s)', (protocol) => {
  const reported = { openai: { promptTokens: 19, completionTokens: 6 }, anthropic: { promptTokens: 93, completionTokens: 6 } }[protocol];
  // Anthropic's message_start reports the prompt's cache reads and writes (64 and 8 of its 93): kept, to be priced at their rates.
  const kinds = { ...unpriced(1), ...(protocol === 'anthropic' ? { cachedPromptTokens: 64, cacheWriteTokens: 8 } : {}) };

  it('at its finish_reason, before the usage chunk: recorded with the usage the upstream reported', async () => {
    const key = await createKey({ tokens: 10_000, period: 'day' });
    const controller = new AbortController();
    const body = { model: `${providers[protocol].name}/late-usage@abandon-${unique()}`, messages: hi, max_tokens: 6, stream: true };
    await readUntilThenLeave(await chatAs(key.key, body, { signal: controller.signal }), controller, '"finish_reason":"stop"');
    expect(await usageOnceRecorded(key.key, 1)).toEqual([{ requests: 1, errors: 0, ...reported, ...kinds }]);
  });

  it('mid-answer, with no usage reported: recorded with an estimate from the prompt and the text delivered, never 0', async () => {
    const key = await createKey();
    const controller = new AbortController();
    const body = { model: `${providers[protocol].name}/hang-body@abandon-${unique()}`, messages: hi, stream: true };
    await readUntilThenLeave(await chatAs(key.key, body, { signal: controller.signal }), controller, 'Hello');
    // "Hello" is 5 bytes: 2 tokens. The prompt: a quarter of the body's bytes, unless the
    // upstream said (Anthropic's message_start does: 21 + 8 + 64).
    const promptTokens = protocol === 'openai' ? Math.ceil(utf8Bytes(JSON.stringify(body)) / 4) : 93;
    expect(await usageOnceRecorded(key.key, 1)).toEqual([{ requests: 1, errors: 0, promptTokens, completionTokens: 2, ...kinds }]);
  });
});
