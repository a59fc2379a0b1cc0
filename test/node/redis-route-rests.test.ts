import { createClient } from '@redis/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';
import { jsonInit } from '../support/target.ts';

// Routes on two real gateways sharing one real Redis (contract v1.2: "with REDIS_URL every
// instance sees the rest at once"): a target that answered 429 through one gateway is skipped by
// the other until its Retry-After has passed. Both gateways run on one clock the test moves; the
// rest's Redis key expires in real time (PX), which the test reads too.

let redis: TestRedisServer;
let one: NodeTarget;
let two: NodeTarget;
let limited: TestProvider;
let spare: TestProvider;
let clock = Date.parse('2026-12-04T10:00:00.000Z');
const prefix = `routes-${crypto.randomUUID().slice(0, 8)}:`;

beforeAll(async () => {
  redis = await startRedisServer();
  const environment = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'silent' };
  [one, two] = await Promise.all([startTarget(environment, undefined, {}, () => clock), startTarget(environment, undefined, {}, () => clock)]);
  [limited, spare] = await Promise.all([createTestProvider(one, 'openai'), createTestProvider(one, 'openai')]);
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
  await redis?.close();
});

const chat = (target: NodeTarget, model: string) =>
  target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] }) });

it('rests a target that answered 429 through one gateway for both, for its Retry-After of 2 s', async () => {
  const run = crypto.randomUUID().slice(0, 8);
  const limitedModel = `rate-limited-2@${run}`;
  // lowest-latency asks an untried target first: the limited one whenever it may be asked.
  const created = await one.fetch('/routes', jsonInit('POST', { name: `shared-${run}`, strategy: 'lowest-latency', targets: [{ model: `${limited.name}/${limitedModel}` }, { model: `${spare.name}/gpt-test@${run}` }] }));
  expect(created.status).toBe(201);
  const route = await created.json();
  const sentToLimited = async () => (await upstreamRequestsFor(one, limited)).filter((request) => request.method === 'POST').length;

  const first = await chat(one, route.name);
  expect(first.status).toBe(200);
  expect(first.headers.get('x-gateway-provider')).toBe(spare.name);
  expect(await sentToLimited()).toBe(1);

  // The rest is one key in Redis, expiring when it ends.
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    const key = `${prefix}target-rest:${limited.id}/${limitedModel}`;
    expect(await client.get(key)).toBe(String(clock + 2000));
    const ttl = await client.pTTL(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2000);
  } finally {
    await client.quit();
  }

  // The other gateway has never measured either target: without the shared rest it would ask the limited one first.
  clock += 1999;
  for (let index = 0; index < 3; index++) {
    const response = await chat(two, route.name);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-provider')).toBe(spare.name);
  }
  expect(await sentToLimited()).toBe(1);

  clock += 1;
  expect((await chat(two, route.name)).headers.get('x-gateway-provider')).toBe(spare.name);
  expect(await sentToLimited()).toBe(2);
});
