import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClockTarget } from '#target';
import { fakeEmbedding, fakeEmbeddingTokens } from '../support/fake-upstream/fake-embedding.ts';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { adminHeaders, CLIENT_TOKEN, jsonInit, type Target } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';

// Routes (contract v1.2, "Routes: many deployments as one model") on both runtimes: stored routes
// and their validation, each strategy's choice, failover to the next target, rests after a 429,
// access keys scoped to a route, the model list and the ledger. The gateway runs on a clock the
// tests move (rests, latency averages) and a seeded random source (weighted picks), so nothing
// here sleeps or depends on chance.

const HELLO = 'Hello from the fake upstream! 👋';
let clock = Date.parse('2026-12-03T08:00:00.000Z');
let target: Target;
let first: TestProvider;
let second: TestProvider;
let third: TestProvider;

beforeAll(async () => {
  target = await startClockTarget(() => clock, {}, seededRandom(20261203));
  [first, second, third] = await Promise.all([createTestProvider(target, 'openai'), createTestProvider(target, 'openai'), createTestProvider(target, 'anthropic')]);
});
afterAll(() => target.close());

const hi = [{ role: 'user', content: 'Hi' }];
const unique = () => crypto.randomUUID().slice(0, 8);
const control = () => upstreamControl(target.upstreamUrl);
const asAdmin = (method: string): RequestInit => ({ method, headers: { authorization: adminHeaders.authorization } });

async function createRoute(body: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const response = await target.fetch('/routes', jsonInit('POST', { name: `route-${unique()}`, ...body }));
  expect(response.status).toBe(201);
  return response.json();
}

function chat(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ messages: hi, ...body }) });
}

/** Chat requests the fake upstream received for this model (the `@suffix` keeps each test's apart). */
const sentFor = async (provider: TestProvider, model: string) =>
  (await upstreamRequestsFor(target, provider)).filter((request) => request.method === 'POST' && JSON.parse(request.body).model === model).length;

describe('managing routes', () => {
  it('creates with defaults filled in, lists, reads, updates in part and deletes', async () => {
    const name = `gpt-${unique()}`;
    const response = await target.fetch('/routes', jsonInit('POST', { name, targets: [{ model: `${first.name}/gpt-test`, weight: 3 }, { model: `${second.name}/gpt-test` }] }));
    expect(response.status).toBe(201);
    const route = await response.json();
    expect(route).toEqual({
      id: expect.any(String),
      name,
      targets: [{ model: `${first.name}/gpt-test`, weight: 3 }, { model: `${second.name}/gpt-test`, weight: 1 }],
      strategy: 'weighted',
      createdAt: new Date(clock).toISOString(),
      updatedAt: new Date(clock).toISOString(),
    });
    expect((await (await target.fetch('/routes', asAdmin('GET'))).json()).data).toContainEqual(route);
    expect(await (await target.fetch(`/routes/${route.id}`, asAdmin('GET'))).json()).toEqual(route);

    clock += 1000;
    const updated = await target.fetch(`/routes/${route.id}`, jsonInit('PUT', { strategy: 'least-busy' }));
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({ ...route, strategy: 'least-busy', updatedAt: new Date(clock).toISOString() });

    expect((await target.fetch(`/routes/${route.id}`, asAdmin('DELETE'))).status).toBe(204);
    expect((await target.fetch(`/routes/${route.id}`, asAdmin('GET'))).status).toBe(404);
    expect((await target.fetch(`/routes/${route.id}`, asAdmin('DELETE'))).status).toBe(404);
  });

  it.each([
    ['a name with a slash', { name: 'a/b', targets: [{ model: 'x/y' }] }, 'name'],
    ['no targets', { name: 'empty', targets: [] }, 'targets'],
    ['21 targets', { name: 'many', targets: Array.from({ length: 21 }, (_, index) => ({ model: `p/m${index}` })) }, 'targets'],
    ['a target without a provider', { name: 'bare', targets: [{ model: 'gpt-4o' }] }, 'targets[0].model'],
    ['a weight of 0', { name: 'zero', targets: [{ model: 'p/m', weight: 0 }] }, 'targets[0].weight'],
    ['an unknown strategy', { name: 'odd', targets: [{ model: 'p/m' }], strategy: 'round-robin' }, 'strategy'],
    ['an unknown field', { name: 'extra', targets: [{ model: 'p/m' }], fallback: true }, 'fallback'],
  ])('refuses %s with 400 naming the field, and stores nothing', async (_, body, field) => {
    const before = (await (await target.fetch('/routes', asAdmin('GET'))).json()).data.length;
    const response = await target.fetch('/routes', jsonInit('POST', body));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field } });
    expect((await (await target.fetch('/routes', asAdmin('GET'))).json()).data.length).toBe(before);
  });

  it('refuses a target whose provider does not exist, and the same target twice', async () => {
    const unknown = await target.fetch('/routes', jsonInit('POST', { name: `r-${unique()}`, targets: [{ model: `${first.name}/gpt-test` }, { model: 'no-such-provider/gpt-test' }] }));
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.details).toMatchObject({ field: 'targets[1].model', issue: 'unknown provider' });
    const twice = await target.fetch('/routes', jsonInit('POST', { name: `r-${unique()}`, targets: [{ model: `${first.name}/gpt-test` }, { model: `${first.id}/gpt-test` }] }));
    expect(twice.status).toBe(400);
    expect((await twice.json()).error.details).toMatchObject({ field: 'targets[1].model', issue: 'duplicate target' });
  });

  it('keeps names unique in any case (409), and lets a route share a provider\'s name', async () => {
    const route = await createRoute({ name: `Shared-${unique()}`, targets: [{ model: `${first.name}/gpt-test` }] });
    const again = await target.fetch('/routes', jsonInit('POST', { name: route.name.toUpperCase(), targets: [{ model: `${first.name}/gpt-test` }] }));
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatchObject({ code: 'CONFLICT', details: { field: 'name' } });
    const other = await createRoute({ targets: [{ model: `${first.name}/gpt-test` }] });
    const renamed = await target.fetch(`/routes/${other.id}`, jsonInit('PUT', { name: route.name.toLowerCase() }));
    expect(renamed.status).toBe(409);
    // A provider's models all have a `/`: a route of the same name cannot be confused with them.
    const sameAsProvider = await createRoute({ name: first.name, targets: [{ model: `${second.name}/gpt-test@${unique()}` }] });
    const served = await chat({ model: first.name });
    expect(served.status).toBe(200);
    expect(served.headers.get('x-gateway-provider')).toBe(second.name);
    expect((await chat({ model: `${first.name}/gpt-test` })).headers.get('x-gateway-provider')).toBe(first.name);
    await target.fetch(`/routes/${sameAsProvider.id}`, asAdmin('DELETE'));
  });

  it('is for the management token only', async () => {
    const response = await target.fetch('/routes', { headers: { authorization: `Bearer ${CLIENT_TOKEN}` } });
    expect(response.status).toBe(401);
    const key = await (await target.fetch('/keys', jsonInit('POST', { name: `k-${unique()}` }))).json();
    expect((await target.fetch('/routes', { headers: { authorization: `Bearer ${key.key}` } })).status).toBe(403);
  });
});

describe('serving a route', () => {
  it('weighted: 1,000 requests over weights 3 and 1 land within 5 points of 75/25', async () => {
    // Seeded (seededRandom above): the same draws every run, so this cannot flake. With an
    // unseeded Math.random, leaving 700..800 of 1,000 would be 3.65 standard deviations of a
    // binomial(1000, 0.75) away: a false failure about 2.6 times in 10,000 runs.
    const run = unique();
    const route = await createRoute({ targets: [{ model: `${first.name}/gpt-test@${run}`, weight: 3 }, { model: `${second.name}/gpt-test@${run}`, weight: 1 }] });
    const served = new Map<string, number>();
    for (let batch = 0; batch < 50; batch++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => chat({ model: route.name })));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        await answer.arrayBuffer();
        const provider = answer.headers.get('x-gateway-provider')!;
        served.set(provider, (served.get(provider) ?? 0) + 1);
      }
    }
    const heavy = served.get(first.name) ?? 0;
    expect(heavy + (served.get(second.name) ?? 0)).toBe(1000);
    expect(heavy).toBeGreaterThanOrEqual(700);
    expect(heavy).toBeLessThanOrEqual(800);
    // What the upstream received agrees with the header.
    expect(await sentFor(first, `gpt-test@${run}`)).toBe(heavy);
    expect(await sentFor(second, `gpt-test@${run}`)).toBe(1000 - heavy);
    // A thousand requests through the answer checks: longer than the default on a busy machine.
  }, 180_000);

  it('least-busy: while a slow target holds a request, the requests alongside it go to the idle one', async () => {
    const run = unique();
    const slowModel = `slow-100@${run}`;
    const route = await createRoute({ strategy: 'least-busy', targets: [{ model: `${first.name}/${slowModel}` }, { model: `${second.name}/gpt-test@${run}` }] });
    // Both idle: a weighted draw decides. Repeat until the slow target holds one (a stream of 10 s, kept open).
    let held: Response | undefined;
    for (let attempt = 0; attempt < 20 && held === undefined; attempt++) {
      const response = await chat({ model: route.name, stream: true });
      expect(response.status).toBe(200);
      if (response.headers.get('x-gateway-provider') === first.name) held = response;
      else await response.text();
    }
    expect(held).toBeDefined();
    const reachedSlow = await sentFor(first, slowModel);
    const providers: string[] = [];
    for (let index = 0; index < 10; index++) {
      const response = await chat({ model: route.name });
      providers.push(response.headers.get('x-gateway-provider')!);
      await response.arrayBuffer();
    }
    expect(providers).toEqual(Array(10).fill(second.name));
    expect(await sentFor(first, slowModel)).toBe(reachedSlow);
    await held!.body!.cancel();
  });

  it('lowest-latency: a target made slower loses its share after one request, and wins it back when it recovers', async () => {
    const run = unique();
    const models = { A: `held@a-${run}`, B: `held@b-${run}` };
    const route = await createRoute({ strategy: 'lowest-latency', targets: [{ model: `${first.name}/${models.A}` }, { model: `${second.name}/${models.B}` }] });
    // Each request waits at the fake upstream until the test has moved the gateway's clock by
    // that target's latency: time to first token, measured without waiting for it.
    const latency = { A: 10, B: 50 };
    async function serve(): Promise<'A' | 'B'> {
      const pending = chat({ model: route.name });
      let which: 'A' | 'B' | undefined;
      for (let polls = 0; which === undefined; polls++) {
        if (polls > 1000) throw new Error('the request never reached the upstream');
        if ((await control().held(models.A)) === 1) which = 'A';
        else if ((await control().held(models.B)) === 1) which = 'B';
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
      clock += latency[which];
      expect(await control().release(models[which])).toBe(1);
      const response = await pending;
      expect(response.status).toBe(200);
      expect((await response.json()).choices[0].message.content).toBe(HELLO);
      return which;
    }
    const serveMany = async (count: number) => {
      const picks: string[] = [];
      for (let index = 0; index < count; index++) picks.push(await serve());
      return picks;
    };

    // Untried targets first, in the route's order; then the faster one takes every request.
    expect(await serveMany(12)).toEqual(['A', 'B', ...Array(10).fill('A')]);
    latency.A = 200;
    // One slow answer moves A's average (10 → 67 ms) above B's 50: B serves from the next request on.
    expect(await serveMany(10)).toEqual(['A', ...Array(9).fill('B')]);
    latency.A = 10;
    // A minute later every measurement is stale: each target is tried again, and A, fast again, wins.
    clock += 60_000;
    expect(await serveMany(10)).toEqual(['A', 'B', ...Array(8).fill('A')]);
  });

  it('fails over to the next target after a 5xx, before anything reached the client', async () => {
    const run = unique();
    const route = await createRoute({ strategy: 'lowest-latency', targets: [{ model: `${first.name}/always-500@${run}` }, { model: `${second.name}/gpt-test@${run}` }] });
    const response = await chat({ model: route.name });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-provider')).toBe(second.name);
    expect((await response.json()).model).toBe(`gpt-test@${run}`);
  });

  it('skips a target whose provider\'s circuit is open, without sending to it', async () => {
    const run = unique();
    const flaky = await createTestProvider(target, 'openai');
    for (let index = 0; index < 5; index++) expect((await chat({ model: `${flaky.name}/always-500@${run}` })).status).toBe(502);
    expect((await (await target.fetch(`/providers/${flaky.id}/health`)).json()).circuit).toBe('open');
    // lowest-latency would ask the untried target first: its open circuit is what keeps it out.
    const route = await createRoute({ strategy: 'lowest-latency', targets: [{ model: `${flaky.name}/gpt-test@${run}` }, { model: `${second.name}/gpt-test@${run}` }] });
    const response = await chat({ model: route.name });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-provider')).toBe(second.name);
    expect(await sentFor(flaky, `gpt-test@${run}`)).toBe(0);
  });

  it('rests a target that answered 429 with Retry-After: 2 for 2 s: no request reaches it meanwhile', async () => {
    const run = unique();
    const limited = `rate-limited-2@${run}`;
    // lowest-latency tries an untried target first, so the limited one is asked whenever it may be.
    const route = await createRoute({ strategy: 'lowest-latency', targets: [{ model: `${first.name}/${limited}` }, { model: `${second.name}/gpt-test@${run}` }] });
    const servedBy = async () => {
      const response = await chat({ model: route.name });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      return response.headers.get('x-gateway-provider');
    };
    expect(await servedBy()).toBe(second.name);
    // Asked once: the 429 is not retried on the same target, the next one serves at once.
    expect(await sentFor(first, limited)).toBe(1);
    clock += 1999;
    for (let index = 0; index < 3; index++) expect(await servedBy()).toBe(second.name);
    expect(await sentFor(first, limited)).toBe(1);
    clock += 1;
    expect(await servedBy()).toBe(second.name);
    expect(await sentFor(first, limited)).toBe(2);
  });

  it('answers 429 with the soonest Retry-After when every target rests, and sends nothing', async () => {
    const run = unique();
    const targets = [{ model: `${first.name}/rate-limited-5@${run}` }, { model: `${second.name}/rate-limited-3@${run}` }];
    const route = await createRoute({ strategy: 'lowest-latency', targets });
    const firstAnswer = await chat({ model: route.name });
    expect(firstAnswer.status).toBe(429);
    expect(firstAnswer.headers.get('retry-after')).toBe('3');
    const sent = (await sentFor(first, `rate-limited-5@${run}`)) + (await sentFor(second, `rate-limited-3@${run}`));
    expect(sent).toBe(2);

    clock += 1000;
    const resting = await chat({ model: route.name });
    expect(resting.status).toBe(429);
    expect(resting.headers.get('retry-after')).toBe('2');
    expect((await resting.json()).error).toMatchObject({ code: 'RATE_LIMITED', details: { reason: 'targets-resting' } });
    const streamed = await chat({ model: route.name, stream: true });
    expect(streamed.status).toBe(429);
    expect((await sentFor(first, `rate-limited-5@${run}`)) + (await sentFor(second, `rate-limited-3@${run}`))).toBe(2);

    // The route's fallbacks still serve while every target rests.
    const fallback = await chat({ model: route.name, models: [`${third.name}/claude-test`] });
    expect(fallback.status).toBe(200);
    expect(fallback.headers.get('x-gateway-provider')).toBe(third.name);
  });

  it('serves messages and responses too, in their own format', async () => {
    const run = unique();
    const route = await createRoute({ targets: [{ model: `${third.name}/claude-test@${run}` }] });
    const messages = await target.fetch('/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: route.name, max_tokens: 64, messages: hi }) });
    expect(messages.status).toBe(200);
    expect(messages.headers.get('x-gateway-provider')).toBe(third.name);
    expect((await messages.json()).content[0].text).toBe(HELLO);
    const responses = await target.fetch('/responses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: route.name, input: 'Hi', store: false }) });
    expect(responses.status).toBe(200);
    expect(responses.headers.get('x-gateway-provider')).toBe(third.name);
    expect((await responses.json()).output[0].content[0].text).toBe(HELLO);
  });
});

describe('embeddings through a route', () => {
  const embed = (model: string, headers: Record<string, string> = {}) =>
    target.fetch('/embeddings', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model, input: 'one two three' }) });

  it('is served by a target that has an embeddings API, after a 429 that rests its target for its Retry-After, and recorded under the route', async () => {
    const run = unique();
    // A provider of its own: its failures here must not open the circuit of one the other tests use.
    const limited = await createTestProvider(target, 'openai');
    // lowest-latency asks untried targets in the route's order: the anthropic one is left out
    // (no embeddings API), the rate-limited one answers 429 (Retry-After: 30), the third serves.
    const route = await createRoute({
      strategy: 'lowest-latency',
      targets: [{ model: `${third.name}/claude-test@${run}` }, { model: `${limited.name}/always-429@${run}` }, { model: `${second.name}/text-embedding-3-small@${run}` }],
    });
    const key = await (await target.fetch('/keys', jsonInit('POST', { name: `embed-${run}` }))).json();
    const asKey = { authorization: `Bearer ${key.key}` };
    const servedBy = async () => {
      const response = await embed(route.name, asKey);
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.model).toBe(`text-embedding-3-small@${run}`);
      expect(body.data[0].embedding).toEqual(fakeEmbedding('one two three'));
      return response.headers.get('x-gateway-provider');
    };
    expect(await servedBy()).toBe(second.name);
    // Asked once, not retried in place, and resting for 30 s.
    expect(await sentFor(limited, `always-429@${run}`)).toBe(1);
    clock += 29_999;
    expect(await servedBy()).toBe(second.name);
    expect(await sentFor(limited, `always-429@${run}`)).toBe(1);
    clock += 1;
    expect(await servedBy()).toBe(second.name);
    expect(await sentFor(limited, `always-429@${run}`)).toBe(2);
    expect(await sentFor(third, `claude-test@${run}`)).toBe(0);

    const usage = await (await target.fetch('/usage?groupBy=route,provider,model', { headers: asKey })).json();
    const tokens = fakeEmbeddingTokens('one two three');
    expect(usage.data).toEqual([
      { provider: second.id, providerName: second.name, model: `text-embedding-3-small@${run}`, route: route.name, requests: 3, errors: 0, promptTokens: 3 * tokens, completionTokens: 0, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 3 },
    ]);
  });

  it('fails over after a 5xx, and refuses a route with no target that can embed (400 on model), sending nothing', async () => {
    const run = unique();
    const failing5xx = await createTestProvider(target, 'openai');
    const failing = await createRoute({ strategy: 'lowest-latency', targets: [{ model: `${failing5xx.name}/always-500@${run}` }, { model: `${second.name}/text-embedding-3-small@${run}` }] });
    const served = await embed(failing.name);
    expect(served.status).toBe(200);
    expect(served.headers.get('x-gateway-provider')).toBe(second.name);
    // A 5xx is retried in place (UPSTREAM_MAX_RETRIES, 2 by default), as for chat, before the next target serves.
    expect(await sentFor(failing5xx, `always-500@${run}`)).toBe(3);

    const anthropicOnly = await createRoute({ targets: [{ model: `${third.name}/claude-test@${run}` }] });
    const refused = await embed(anthropicOnly.name);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'model' } });
    expect(await sentFor(third, `claude-test@${run}`)).toBe(0);
  });
});

describe('routes and the rest of the gateway', () => {
  it('lists each route in GET /models, owned by "route"', async () => {
    const route = await createRoute({ targets: [{ model: `${first.name}/gpt-test` }] });
    const models = await (await target.fetch('/models')).json();
    expect(models.data).toContainEqual({ id: route.name, object: 'model', created: expect.any(Number), owned_by: 'route' });
  });

  it('lets an access key scoped to a route use it, and nothing else', async () => {
    const run = unique();
    const route = await createRoute({ targets: [{ model: `${first.name}/gpt-test@${run}` }] });
    const other = await createRoute({ targets: [{ model: `${first.name}/gpt-test@${run}` }] });
    const key = await (await target.fetch('/keys', jsonInit('POST', { name: `scoped-${run}`, models: [route.name] }))).json();
    const asKey = { authorization: `Bearer ${key.key}` };

    const allowed = await chat({ model: route.name }, asKey);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('x-gateway-provider')).toBe(first.name);
    const sent = await sentFor(first, `gpt-test@${run}`);
    expect(sent).toBe(1);
    for (const model of [`${first.name}/gpt-test@${run}`, other.name]) {
      const refused = await chat({ model }, asKey);
      expect(refused.status).toBe(403);
      expect((await refused.json()).error.code).toBe('FORBIDDEN');
    }
    expect(await sentFor(first, `gpt-test@${run}`)).toBe(sent);
    const listed = (await (await target.fetch('/models', { headers: asKey })).json()).data;
    expect(listed).toEqual([{ id: route.name, object: 'model', created: expect.any(Number), owned_by: 'route' }]);
  });

  it('reserves a key\'s budget for a route\'s request as for any other, and settles it to what the target spent', async () => {
    const run = unique();
    const heldModel = `held@budget-${run}`;
    const route = await createRoute({ targets: [{ model: `${second.name}/${heldModel}` }] });
    const body = { model: route.name, max_tokens: 60 };
    // The documented worst case: a quarter of the body's UTF-8 bytes, rounded up, plus max_tokens.
    const worst = Math.ceil(new TextEncoder().encode(JSON.stringify({ messages: hi, ...body })).length / 4) + 60;
    // Room for one worst case beside one answer's 25 tokens (19 + 6), not for two worst cases.
    const budget = { tokens: worst + 25, period: 'day' };
    const key = await (await target.fetch('/keys', jsonInit('POST', { name: `budget-${run}`, budget }))).json();
    const asKey = { authorization: `Bearer ${key.key}` };
    const waitUntilHeld = async () => {
      for (let polls = 0; (await control().held(heldModel)) !== 1; polls++) {
        if (polls > 1000) throw new Error('the request never reached the upstream');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const serveHeld = async () => {
      const pending = chat(body, asKey);
      await waitUntilHeld();
      expect(await control().release(heldModel)).toBe(1);
      const response = await pending;
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    };

    // While the first request waits at the target, its worst case is reserved: a second does not fit.
    const holding = chat(body, asKey);
    await waitUntilHeld();
    const refused = await chat(body, asKey);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { budget, used: 0, reserved: worst, requested: worst } });
    expect(await control().held(heldModel)).toBe(1);
    expect(await control().release(heldModel)).toBe(1);
    expect((await holding).status).toBe(200);
    // Settled to the 25 tokens it spent: one more worst case fits exactly, and then none.
    await serveHeld();
    const spent = await chat(body, asKey);
    expect(spent.status).toBe(429);
    expect((await spent.json()).error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { budget, used: 50, reserved: 0, requested: worst } });
    expect(await sentFor(second, heldModel)).toBe(2);
    const usage = await (await target.fetch('/usage?groupBy=route', { headers: asKey })).json();
    expect(usage.data).toEqual([{ route: route.name, requests: 2, errors: 0, promptTokens: 38, completionTokens: 12, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 2 }]);
  });

  it('records the route beside the provider and model in the ledger', async () => {
    const run = unique();
    const route = await createRoute({ targets: [{ model: `${second.name}/gpt-test@${run}` }] });
    const key = await (await target.fetch('/keys', jsonInit('POST', { name: `ledger-${run}` }))).json();
    const asKey = { authorization: `Bearer ${key.key}` };
    expect((await chat({ model: route.name }, asKey)).status).toBe(200);
    expect((await chat({ model: `${second.name}/gpt-test@${run}` }, asKey)).status).toBe(200);
    const usage = await (await target.fetch('/usage?groupBy=route,provider,model', { headers: asKey })).json();
    expect(usage.data).toEqual([
      { provider: second.id, providerName: second.name, model: `gpt-test@${run}`, requests: 1, errors: 0, promptTokens: 19, completionTokens: 6, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 1 },
      { provider: second.id, providerName: second.name, model: `gpt-test@${run}`, route: route.name, requests: 1, errors: 0, promptTokens: 19, completionTokens: 6, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 1 },
    ]);
  });
});
