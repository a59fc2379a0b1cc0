import { env } from 'cloudflare:test';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROVIDER_KEY_PREFIX } from '../../src/adapter/cloudflare-workers/kv-provider-store.ts';
import { createTestProvider, upstreamRequestsFor } from '../support/providers.ts';
import type { Target } from '../support/target.ts';
import { chatWith, expectRefusedBeforeSending, expectServedUnderPlantedName, PLANTED_NAME } from '../support/unsendable-header.ts';
import { startTarget } from '../support/workers-target.ts';

// A KV value written behind the API's back (by hand, or by a version that let any value without
// CR, LF or NUL through): a custom header value with a control character, which fetch in workerd
// would refuse to send.

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(() => target.close());

it('answers PROVIDER_MISCONFIGURED for a header value planted in KV, before any request', async () => {
  const provider = await createTestProvider(target, 'openai', { customHeaders: { 'X-Title': 'fine' } });
  const chat = await chatWith(target, provider);
  expect(chat.status).toBe(200);
  await chat.body?.cancel();
  expect(await upstreamRequestsFor(target, provider)).toHaveLength(1);

  const key = `${PROVIDER_KEY_PREFIX}${provider.id}`;
  const stored = JSON.parse((await env.PROVIDERS_KV.get(key, 'text'))!);
  // Planted as a record written before header values were encrypted holds them: in plain text.
  delete stored.encryptedCustomHeaders;
  stored.customHeaders = { 'x-test-run': provider.run, 'X-Title': 'sk-CANARY-in-a-header\u0001' };
  await env.PROVIDERS_KV.put(key, JSON.stringify(stored));

  await expectRefusedBeforeSending(target, provider, 'X-Title', 1);
  expect(target.logs().join('\n')).not.toContain('CANARY');
});

it('serves a provider whose name, planted in KV, the API would refuse', async () => {
  const provider = await createTestProvider(target, 'openai');
  const key = `${PROVIDER_KEY_PREFIX}${provider.id}`;
  const stored = JSON.parse((await env.PROVIDERS_KV.get(key, 'text'))!);
  stored.name = PLANTED_NAME;
  await env.PROVIDERS_KV.put(key, JSON.stringify(stored));

  await expectServedUnderPlantedName(target, provider);
});
