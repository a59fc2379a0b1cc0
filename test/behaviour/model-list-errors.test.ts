import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createGatewayClient } from 'llm-gateway-client';
import { createTestProvider, type TestProvider } from '../support/providers.ts';
import { ADMIN_TOKEN, jsonInit, type Target } from '../support/target.ts';

// GET /models with a provider that cannot list its models (contract v1.2): the others' models are
// listed, and the failed ones are named in X-Gateway-Model-Errors, percent-encoded UTF-8 where a
// name needs it (a comma in a name too, since commas separate them). On both runtimes; the Worker's
// KV is shared by every test file, so other files' failing providers may be named as well.

let target: Target;
let working: TestProvider;
const failing: string[] = [];

beforeAll(async () => {
  target = await startBehaviourTarget();
  working = await createTestProvider(target, 'openai');
  const run = crypto.randomUUID().slice(0, 8);
  for (const [name, routingMethod] of [[`wrong-key-${run}`, 'anthropic'], [`名前, テスト-${run}`, 'openai']] as const) {
    // A key the fake upstream refuses with 401 on every route, the model list included.
    const response = await target.fetch('/providers', jsonInit('POST', { name, routingMethod, apiKey: 'sk-wrong-models-0123456789', baseUrl: `${target.upstreamUrl}/${routingMethod === 'openai' ? 'openai/v1' : 'anthropic'}` }));
    expect(response.status).toBe(201);
    failing.push(name);
  }
});
afterAll(() => target.close());

const namesIn = (header: string | null) => (header ?? '').split(',').map(decodeURIComponent);

it('lists the models of the providers that answered and names the ones that failed', async () => {
  const response = await target.fetch('/models');
  expect(response.status).toBe(200);
  const { data } = (await response.json()) as { data: Array<{ id: string }> };
  expect(data.map((model) => model.id)).toEqual(expect.arrayContaining([`${working.name}/gpt-test`, `${working.name}/gpt-4o-mini`]));
  expect(data.filter((model) => failing.some((name) => model.id.startsWith(`${name}/`)))).toEqual([]);

  const header = response.headers.get('x-gateway-model-errors');
  expect(header).toContain(`wrong-key-${failing[0]!.slice('wrong-key-'.length)}`);
  // Only printable ASCII goes on the wire: the name's characters and its comma percent-encoded, its inner space kept.
  expect(header).toMatch(/^[\x20-\x7e]+$/);
  expect(header).toContain(encodeURIComponent(failing[1]!).replaceAll('%20', ' '));
  const named = namesIn(header);
  expect(named).toEqual(expect.arrayContaining(failing));
  expect(named).not.toContain(working.name);
});

it('reaches a browser page on an allowed origin, and the client as failedProviders', async () => {
  const response = await target.fetch('/models', { headers: { origin: 'https://app.example.com' } });
  expect(response.headers.get('access-control-expose-headers')?.split(/,\s*/)).toEqual(expect.arrayContaining(['X-Gateway-Model-Errors', 'X-Should-Retry']));
  await response.body?.cancel();

  const gateway = createGatewayClient({ baseUrl: target.apiBase, token: ADMIN_TOKEN, fetch: target.rawFetch });
  const list = await gateway.models();
  expect(list.failedProviders).toEqual(expect.arrayContaining(failing));
  expect(list.failedProviders).not.toContain(working.name);
  expect(list.data.map((model) => model.id)).toContain(`${working.name}/gpt-test`);
});
