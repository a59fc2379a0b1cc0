import { expect } from 'vitest';
import { upstreamRequestsFor, type TestProvider } from './providers.ts';
import { adminHeaders, type Target } from './target.ts';

// A stored provider whose custom header HTTP cannot carry (planted behind the API's back by the
// Node and Workers tests): every route that would call it answers PROVIDER_MISCONFIGURED, naming
// the header and never its value, and nothing reaches the fake upstream.

export async function chatWith(target: Target, provider: TestProvider, stream = false): Promise<Response> {
  return target.fetch('/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }], stream }),
  });
}

/** `sentBefore`: what the fake upstream had from this provider before its header was spoiled. */
export async function expectRefusedBeforeSending(target: Target, provider: TestProvider, header: string, sentBefore: number): Promise<void> {
  const error = {
    code: 'PROVIDER_MISCONFIGURED',
    message: `The provider's custom header "${header}" has a value that HTTP does not allow, so nothing was sent; correct its customHeaders with PUT /api/v1/providers/${provider.id}`,
    details: { providerId: provider.id, header },
  };
  for (const stream of [false, true]) {
    const chat = await chatWith(target, provider, stream);
    expect(chat.status).toBe(502);
    expect(chat.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await chat.json()).toEqual({ error });
  }

  const test = await target.fetch(`/providers/${provider.id}/test`, { method: 'POST', headers: adminHeaders });
  expect(test.status).toBe(200);
  expect(await test.json()).toEqual({ ok: false, latencyMs: expect.any(Number), error });
  const testWithModel = await target.fetch(`/providers/${provider.id}/test`, { method: 'POST', headers: adminHeaders, body: JSON.stringify({ model: 'gpt-test' }) });
  expect(await testWithModel.json()).toEqual({ ok: false, latencyMs: expect.any(Number), error });
  const health = await target.fetch(`/providers/${provider.id}/health`);
  expect(await health.json()).toEqual({ status: 'error', latencyMs: expect.any(Number), checkedAt: expect.any(String), error, circuit: 'closed' });

  expect(await upstreamRequestsFor(target, provider)).toHaveLength(sentBefore);
}
