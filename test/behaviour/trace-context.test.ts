import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { adminHeaders, type Target } from '../support/target.ts';

// W3C trace context without a tracer (contract v1.2, "Traces and the request log"): on Workers,
// and on Node without an OTLP endpoint, the upstream still gets a `traceparent`, the client's as
// it came or a new one. Node with OpenTelemetry is tested in test/node/otel-traces.test.ts.

let target: Target;
let provider: TestProvider;

beforeAll(async () => {
  target = await startBehaviourTarget();
  provider = await createTestProvider(target, 'openai');
});
afterAll(() => target.close());

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-00$/;

async function chat(model: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  const response = await target.fetch('/chat/completions', {
    method: 'POST',
    headers: { ...adminHeaders, ...headers },
    body: JSON.stringify({ model: `${provider.name}/${model}`, messages: [{ role: 'user', content: 'Hi' }], ...extra }),
  });
  await response.text();
  return response;
}

async function sentFor(marker: string) {
  return (await upstreamRequestsFor(target, provider)).filter((request) => request.body.includes(marker));
}

describe('trace context to the upstream', () => {
  it('passes the client\'s traceparent and tracestate on as they came', async () => {
    const marker = `gpt-test@tc-${crypto.randomUUID().slice(0, 8)}`;
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await chat(marker, { traceparent, tracestate: 'vendor=opaque' });
    const sent = await sentFor(marker);
    expect(sent.map((request) => [request.headers.traceparent, request.headers.tracestate])).toEqual([[traceparent, 'vendor=opaque']]);
  });

  it('starts a new, unsampled trace when the client sent none or a malformed one; every attempt of a request carries it', async () => {
    const marker = `tc-${crypto.randomUUID().slice(0, 8)}`;
    await chat(`always-500@${marker}`, {}, { models: [`${provider.name}/gpt-test@${marker}`] });
    await chat(`gpt-test@${marker}-2`, { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' });
    const first = (await sentFor(`always-500@${marker}`)).concat(await sentFor(`gpt-test@${marker}"`));
    // Two retries of the failing model, then its fallback.
    expect(first.length).toBe(4);
    const traces = new Set(first.map((request) => request.headers.traceparent));
    expect(traces.size).toBe(1);
    const [traceparent] = [...traces];
    expect(traceparent).toMatch(TRACEPARENT);
    const [second] = await sentFor(`${marker}-2`);
    expect(second!.headers.traceparent).toMatch(TRACEPARENT);
    expect(second!.headers.traceparent!.slice(3, 35)).not.toBe(traceparent!.slice(3, 35));
    expect(second!.headers.tracestate).toBeUndefined();
  });

  it('sends one on streamed requests too', async () => {
    const marker = `gpt-test@tc-${crypto.randomUUID().slice(0, 8)}`;
    const response = await target.fetch('/chat/completions', {
      method: 'POST',
      headers: { ...adminHeaders, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      body: JSON.stringify({ model: `${provider.name}/${marker}`, messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    expect((await readSseData(response)).at(-1)).toBe('[DONE]');
    expect((await sentFor(marker)).map((request) => request.headers.traceparent)).toEqual(['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01']);
  });
});
