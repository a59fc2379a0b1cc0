import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { ADMIN_TOKEN, CLIENT_TOKEN, jsonInit, type Target } from '../support/target.ts';

// POST /providers/import (contract v1.1, "Importing providers") on both runtimes: all or nothing,
// onConflict, dryRun, names compared case-insensitively, the keys never echoed.

let target: Target;
beforeAll(async () => {
  target = await startBehaviourTarget();
});
afterAll(() => target.close());

const run = () => crypto.randomUUID().slice(0, 8);
const entry = (name: string, key = `sk-CANARY-import-${name}-0000`) => ({ name, baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: key, routingMethod: 'openai' as const });
const importing = (body: Record<string, unknown>) => target.fetch('/providers/import', jsonInit('POST', body));
const listNames = async () => ((await (await target.fetch('/providers')).json()).data as Array<{ name: string }>).map((provider) => provider.name);

describe('POST /providers/import', () => {
  it('creates every entry in one call, and the imported keys work', async () => {
    const prefix = run();
    const response = await importing({ providers: [entry(`${prefix}-a`), entry(`${prefix}-b`)] });
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.dryRun).toBe(false);
    expect(result.replaced).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.created.map((provider: { name: string }) => provider.name)).toEqual([`${prefix}-a`, `${prefix}-b`]);
    expect(result.created[0]).toEqual({
      id: expect.any(String),
      name: `${prefix}-a`,
      baseUrl: `${target.upstreamUrl}/openai/v1`,
      routingMethod: 'openai',
      customHeaders: {},
      apiKeyHint: '…0000',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(result)).not.toContain('CANARY');
    expect(await listNames()).toEqual(expect.arrayContaining([`${prefix}-a`, `${prefix}-b`]));
    const chat = await target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `${prefix}-b/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(chat.status).toBe(200);
  });

  it('carries each entry\'s pricing, and names the entry and field of a bad one', async () => {
    const prefix = run();
    const pricing = { 'gpt-4o*': { input: 2.5, output: 10, cachedInput: 1.25 } };
    const result = await (await importing({ providers: [{ ...entry(`${prefix}-a`), pricing }] })).json();
    expect(result.created[0].pricing).toEqual(pricing);
    const refused = await importing({ providers: [entry(`${prefix}-b`), { ...entry(`${prefix}-c`), pricing: { '*': { input: 1, output: -1 } } }] });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', details: { index: 1, field: 'pricing.*.output' } });
    expect(await listNames()).not.toContain(`${prefix}-b`);
  });

  it('with dryRun says what would happen and stores nothing', async () => {
    const prefix = run();
    await importing({ providers: [entry(`${prefix}-kept`)] });
    const response = await importing({ providers: [entry(`${prefix}-new`), entry(`${prefix}-KEPT`)], onConflict: 'skip', dryRun: true });
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result).toMatchObject({ dryRun: true, replaced: [], skipped: [{ index: 1, name: `${prefix}-KEPT`, reason: expect.any(String) }] });
    expect(result.created.map((provider: { name: string }) => provider.name)).toEqual([`${prefix}-new`]);
    expect(await listNames()).not.toContain(`${prefix}-new`);
  });

  it('fails the whole batch with 409 CONFLICT on an existing name (case-insensitively) by default', async () => {
    const prefix = run();
    await importing({ providers: [entry(`${prefix}-taken`)] });
    const response = await importing({ providers: [entry(`${prefix}-fresh`), entry(`${prefix}-TAKEN`)] });
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatchObject({ code: 'CONFLICT', details: { index: 1, field: 'name' } });
    expect(await listNames()).not.toContain(`${prefix}-fresh`);
  });

  it('skips or replaces existing names; replace keeps the id and createdAt and changes everything else, the key included', async () => {
    const prefix = run();
    const [original] = (await (await importing({ providers: [entry(`${prefix}-p`, 'sk-CANARY-old-key-1111')] })).json()).created;
    const skipped = await (await importing({ providers: [entry(`${prefix}-P`)], onConflict: 'skip' })).json();
    expect(skipped).toEqual({ created: [], replaced: [], skipped: [{ index: 0, name: `${prefix}-P`, reason: expect.any(String) }], dryRun: false });

    const replacement = { ...entry(`${prefix}-P`, 'sk-wrong-CANARY-new-key-2222'), customHeaders: { 'X-Title': 'replaced' } };
    const replaced = await (await importing({ providers: [replacement], onConflict: 'replace' })).json();
    expect(replaced.created).toEqual([]);
    expect(replaced.replaced).toEqual([{ ...original, name: `${prefix}-P`, customHeaders: { 'X-Title': 'replaced' }, apiKeyHint: '…2222', updatedAt: expect.any(String) }]);
    const stored = await (await target.fetch(`/providers/${original.id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    expect(stored).toEqual(replaced.replaced[0]);
    // The new key is the one used now: the fake upstream refuses keys starting sk-wrong.
    const test = await (await target.fetch(`/providers/${original.id}/test`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    expect(test).toMatchObject({ ok: false, error: { code: 'PROVIDER_ERROR', details: { upstreamStatus: 401 } } });
  });

  it.each([
    ['an invalid entry', (prefix: string) => [entry(`${prefix}-ok`), { ...entry(`${prefix}-bad`), baseUrl: 'not a url' }], { index: 1, field: 'baseUrl' }],
    ['an entry with an unknown field', (prefix: string) => [{ ...entry(`${prefix}-ok`), apiKeyEncrypted: 'x' }], { index: 0, field: 'apiKeyEncrypted' }],
    ['an address the outbound policy refuses', (prefix: string) => [entry(`${prefix}-ok`), { ...entry(`${prefix}-meta`), baseUrl: 'http://169.254.169.254/latest' }], { index: 1, field: 'baseUrl' }],
    ['the same name twice in the batch', (prefix: string) => [entry(`${prefix}-twice`), entry(`${prefix}-other`), entry(`${prefix}-TWICE`)], { index: 2, field: 'name' }],
  ])('refuses %s with 400 naming the index and the field, storing nothing', async (_, entries, details) => {
    const prefix = run();
    const response = await importing({ providers: entries(prefix) });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', details });
    expect((await listNames()).filter((name) => name.startsWith(prefix))).toEqual([]);
  });

  it('takes 1 to 500 entries', async () => {
    for (const providers of [[], Array.from({ length: 501 }, (_, index) => entry(`too-many-${index}`))]) {
      const response = await importing({ providers });
      expect(response.status).toBe(400);
      expect((await response.json()).error.details.field).toBe('providers');
    }
    const bad = await importing({ providers: [entry(run())], onConflict: 'overwrite' });
    expect((await bad.json()).error.details.field).toBe('onConflict');
  });

  it('is a management route', async () => {
    const response = await target.fetch('/providers/import', { method: 'POST', headers: { authorization: `Bearer ${CLIENT_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ providers: [entry(run())] }) });
    expect(response.status).toBe(401);
  });
});
