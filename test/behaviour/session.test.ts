import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClockTarget } from '#target';
import { createGatewayClient, GatewayError } from 'llm-gateway-client';
import { createTestProvider, type TestProvider } from '../support/providers.ts';
import { ADMIN_TOKEN, CLIENT_TOKEN, jsonInit, type Target } from '../support/target.ts';

// GET /session (contract v1.2, "What new users ran into") on both runtimes, over HTTP and through
// the client's session(): each credential learns its role; an access key its scopes with provider
// names, its limits and what it has spent of its budget.

const clock = Date.parse('2026-12-06T10:00:00.000Z');
let target: Target;
let openai: TestProvider;
let anthropic: TestProvider;

beforeAll(async () => {
  target = await startClockTarget(() => clock);
  [openai, anthropic] = await Promise.all([createTestProvider(target, 'openai'), createTestProvider(target, 'anthropic')]);
});
afterAll(() => target.close());

const clientFor = (token: string) => createGatewayClient({ baseUrl: target.apiBase, token, fetch: target.rawFetch });

async function createKey(body: Record<string, unknown>) {
  const response = await target.fetch('/keys', jsonInit('POST', { name: `session-${crypto.randomUUID().slice(0, 8)}`, ...body }));
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string; name: string };
}

describe('GET /session', () => {
  it('names the admin token and the shared client token', async () => {
    expect(await clientFor(ADMIN_TOKEN).session()).toEqual({ role: 'admin' });
    expect(await clientFor(CLIENT_TOKEN).session()).toEqual({ role: 'client' });
  });

  it('gives an access key its scopes with provider names, its limits and its budget spent so far', async () => {
    const key = await createKey({
      providers: [openai.name, anthropic.id],
      models: [`${openai.name}/gpt-*`],
      rateLimit: { requests: 50, windowMs: 60_000 },
      budget: { tokens: 10_000, period: 'day' },
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
    const expected = {
      role: 'access-key',
      keyId: key.id,
      keyName: key.name,
      scopes: { providers: [openai, anthropic].map(({ id, name }) => ({ id, name })), models: [`${openai.name}/gpt-*`] },
      rateLimit: { requests: 50, windowMs: 60_000 },
      budget: { tokens: 10_000, period: 'day', spent: { usd: 0, tokens: 0 } },
      expiresAt: '2027-01-01T00:00:00.000Z',
    };
    expect(await clientFor(key.key).session()).toEqual(expected);
    expect(await (await target.fetch('/session', { headers: { authorization: `Bearer ${key.key}` } })).json()).toEqual(expected);

    // The fake upstream reports 19 prompt + 6 completion tokens for this answer.
    const chat = await target.fetch('/chat/completions', jsonInit('POST', { model: `${openai.name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }, { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }));
    expect(chat.status).toBe(200);
    expect((await clientFor(key.key).session()).budget).toEqual({ tokens: 10_000, period: 'day', spent: { usd: 0, tokens: 25 } });
  });

  it('says "every provider, every model" as null, and no budget as null', async () => {
    const key = await createKey({});
    expect(await clientFor(key.key).session()).toEqual({
      role: 'access-key',
      keyId: key.id,
      keyName: key.name,
      scopes: { providers: null, models: null },
      rateLimit: null,
      budget: null,
      expiresAt: null,
    });
  });

  it('refuses a missing or unknown credential with 401, and a disabled key', async () => {
    const missing = await target.rawFetch(`${target.apiBase}/session`);
    expect(missing.status).toBe(401);
    const key = await createKey({});
    expect((await target.fetch(`/keys/${key.id}`, jsonInit('PUT', { disabled: true }))).status).toBe(200);
    const refused = await clientFor(key.key).session().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).code).toBe('UNAUTHORIZED');
    expect((await clientFor('gwk_unknownkey0000000000000000000000').session().catch((error: GatewayError) => error.status))).toBe(401);
  });
});
