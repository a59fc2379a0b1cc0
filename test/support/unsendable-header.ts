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

// A stored name the API would refuse today (an unpaired surrogate, a line break, spaces at the
// ends), planted the same way: every route still answers, and X-Gateway-Provider carries the name
// with U+FFFD for the surrogate, since nothing may throw once the upstream has answered.
export const PLANTED_NAME = ' planted\ud800\r\nname ';
export const PLANTED_NAME_HEADER = '%20planted%EF%BF%BD%0D%0Aname%20';

export async function expectServedUnderPlantedName(target: Target, provider: TestProvider): Promise<void> {
  const byId = { ...provider, name: provider.id };
  for (const stream of [false, true]) {
    const chat = await chatWith(target, byId, stream);
    expect(chat.status).toBe(200);
    expect(chat.headers.get('x-gateway-provider')).toBe(PLANTED_NAME_HEADER);
    expect(await chat.text()).toContain(stream ? 'data: [DONE]' : '"finish_reason":"stop"');
  }
  const test = await target.fetch(`/providers/${provider.id}/test`, { method: 'POST', headers: adminHeaders });
  expect(await test.json()).toEqual({ ok: true, latencyMs: expect.any(Number) });
  const health = await target.fetch(`/providers/${provider.id}/health`);
  expect(await health.json()).toEqual({ status: 'ok', latencyMs: expect.any(Number), checkedAt: expect.any(String), circuit: 'closed' });
  const models = await target.fetch('/models');
  expect((await models.json()).data).toContainEqual({ id: `${PLANTED_NAME}/gpt-test`, object: 'model', created: expect.any(Number), owned_by: PLANTED_NAME });
}
