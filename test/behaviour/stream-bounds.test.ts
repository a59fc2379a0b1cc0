import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { jsonInit, type Target } from '../support/target.ts';

// Streams are bounded and complete (contract v1.2, "Hardening"), on both runtimes: one SSE line
// or event from an upstream over 1 MiB ends the stream with one PROVIDER_ERROR event, and a stream
// that ends before its answer is complete (OpenAI: neither a finish_reason nor [DONE]; Anthropic:
// no message_stop) is a failure: an error event, not cached, recorded as an error.
// (That memory stays bounded is measured in test/node/stream-memory.test.ts.)

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

async function newKey(): Promise<string> {
  return (await (await target.fetch('/keys', jsonInit('POST', { name: `bounds-${unique()}` }))).json()).key;
}

function chatAs(secret: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return target.fetch('/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ messages: hi, stream: true, ...body }) });
}

async function usageOf(secret: string) {
  return (await (await target.fetch('/usage', { headers: { authorization: `Bearer ${secret}` } })).json()).data;
}

const errorEvents = (data: string[]) => data.filter((item) => item.startsWith('{"error"'));

describe.each(protocols)('%s upstream', (protocol) => {
  it('ends the stream with one PROVIDER_ERROR event when one line is over 1 MiB, and records an error', async () => {
    const key = await newKey();
    const response = await chatAs(key, { model: `${providers[protocol].name}/long-line-2097152@${unique()}` });
    expect(response.status).toBe(200);
    const data = await readSseData(response);
    expect(data).not.toContain('[DONE]');
    expect(errorEvents(data)).toHaveLength(1);
    expect(JSON.parse(data.at(-1)!)).toEqual({ error: { code: 'PROVIDER_ERROR', message: 'The provider sent a stream event larger than 1 MiB', details: { limitBytes: 1048576 } } });
    expect(await usageOf(key)).toEqual([expect.objectContaining({ requests: 1, errors: 1 })]);
  });

  it('fails a stream that ends before its answer is complete: one error event, not cached, recorded as an error', async () => {
    const key = await newKey();
    const body = { model: `${providers[protocol].name}/truncated@${unique()}` };
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await chatAs(key, body, { 'x-gateway-cache-ttl': '600' });
      expect(response.headers.get('x-gateway-cache-status')).toBe('MISS');
      const data = await readSseData(response);
      expect(data).not.toContain('[DONE]');
      expect(errorEvents(data)).toHaveLength(1);
      expect(JSON.parse(data.at(-1)!).error.code).toBe('PROVIDER_ERROR');
    }
    // Not cached: the second request went upstream too.
    expect((await upstreamRequestsFor(target, providers[protocol])).filter((request) => request.body.includes(body.model.split('/')[1]!))).toHaveLength(2);
    expect(await usageOf(key)).toEqual([expect.objectContaining({ requests: 2, errors: 2 })]);
  });
});

describe('openai upstream', () => {
  it('still completes a stream that has its finish_reason but no [DONE], and caches it', async () => {
    const key = await newKey();
    const body = { model: `${providers.openai.name}/no-done@${unique()}` };
    const first = await chatAs(key, body, { 'x-gateway-cache-ttl': '600' });
    expect((await readSseData(first)).at(-1)).toBe('[DONE]');
    const second = await chatAs(key, body, { 'x-gateway-cache-ttl': '600' });
    expect(second.headers.get('x-gateway-cache-status')).toBe('HIT');
    expect((await readSseData(second)).at(-1)).toBe('[DONE]');
  });
});
