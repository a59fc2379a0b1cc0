import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createTestProvider, upstreamRequestsFor } from '../support/providers.ts';
import { adminHeaders, jsonInit, type Target } from '../support/target.ts';

// Provider management through the public HTTP surface, on both runtimes.

const CANARY_KEY = 'sk-CANARY-providers-4f1e2d3c4b5a6978';

let target: Target;
beforeAll(async () => {
  target = await startBehaviourTarget();
});
afterAll(() => target.close());

const validProvider = () => ({
  name: `openai-${crypto.randomUUID().slice(0, 8)}`,
  baseUrl: `${target.upstreamUrl}/openai/v1`,
  apiKey: CANARY_KEY,
  routingMethod: 'openai',
});

describe('GET /health', () => {
  it('answers without auth, with status, timestamp and version', async () => {
    const response = await target.fetch('/health', { headers: { authorization: '' } });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ status: 'ok', timestamp: expect.any(String), version: expect.any(String) });
    expect(Math.abs(Date.parse(body.timestamp) - Date.now())).toBeLessThan(60_000);
  });
});

describe('provider CRUD', () => {
  it('creates, reads, lists, updates and deletes a provider, never returning the key', async () => {
    const input = { ...validProvider(), customHeaders: { 'X-Title': 'gateway tests' } };
    const created = await target.fetch('/providers', jsonInit('POST', input));
    expect(created.status).toBe(201);
    const provider = await created.json();
    expect(provider).toEqual({
      id: expect.any(String),
      name: input.name,
      baseUrl: input.baseUrl,
      routingMethod: 'openai',
      customHeaders: { 'X-Title': 'gateway tests' },
      apiKeyHint: '…6978',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const read = await target.fetch(`/providers/${provider.id}`, { headers: adminHeaders });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(provider);
    // The client token sees custom header values masked, as it sees the key's hint.
    expect(await (await target.fetch(`/providers/${provider.id}`)).json()).toEqual({ ...provider, customHeaders: { 'X-Title': '…ts' } });

    const list = await target.fetch('/providers', { headers: adminHeaders });
    expect(list.status).toBe(200);
    expect((await list.json()).data).toContainEqual(provider);

    const updated = await target.fetch(`/providers/${provider.id}`, jsonInit('PUT', { name: `${input.name}-renamed`, apiKey: 'sk-CANARY-rotated-000000009999' }));
    expect(updated.status).toBe(200);
    const afterUpdate = await updated.json();
    expect(afterUpdate).toMatchObject({ id: provider.id, name: `${input.name}-renamed`, baseUrl: input.baseUrl, apiKeyHint: '…9999', createdAt: provider.createdAt });

    const deleted = await target.fetch(`/providers/${provider.id}`, { method: 'DELETE', headers: adminHeaders });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    const gone = await target.fetch(`/providers/${provider.id}`);
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.code).toBe('NOT_FOUND');
  });

  it('defaults customHeaders to {} and drops a trailing slash from baseUrl', async () => {
    const input = { ...validProvider(), baseUrl: `${target.upstreamUrl}/openai/v1/` };
    const created = await (await target.fetch('/providers', jsonInit('POST', input))).json();
    expect(created.customHeaders).toEqual({});
    expect(created.baseUrl).toBe(`${target.upstreamUrl}/openai/v1`);
  });

  it('answers 404 NOT_FOUND for unknown providers on every route', async () => {
    const missing = '/providers/does-not-exist';
    for (const [path, init] of [
      [missing, {}],
      [missing, jsonInit('PUT', { name: 'x' })],
      [missing, { method: 'DELETE', headers: adminHeaders }],
      [`${missing}/models`, {}],
      [`${missing}/health`, {}],
      [`${missing}/test`, { method: 'POST', headers: adminHeaders }],
    ] as const) {
      const response = await target.fetch(path, init);
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(404);
      expect((await response.json()).error.code).toBe('NOT_FOUND');
    }
  });

  it('answers unknown routes with 404 in the error format', async () => {
    const response = await target.fetch('/no-such-route');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});

describe('a provider without a key', () => {
  it('is stored with apiKeyHint null and called with no credential header; PUT adds a key, apiKey null removes it', async () => {
    const run = crypto.randomUUID();
    const created = await target.fetch(
      '/providers',
      jsonInit('POST', { name: `local-${run.slice(0, 8)}`, baseUrl: `${target.upstreamUrl}/hosted/openai/localhost:11434/v1`, routingMethod: 'openai', customHeaders: { 'x-test-run': run } }),
    );
    expect(created.status).toBe(201);
    const provider = await created.json();
    expect(provider.apiKeyHint).toBeNull();
    const chat = () => target.fetch('/chat/completions', jsonInit('POST', { model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }));
    const lastCredential = async () => {
      const sent = (await upstreamRequestsFor(target, { id: provider.id, name: provider.name, run })).at(-1)!;
      return sent.headers.authorization ?? null;
    };

    expect((await chat()).status).toBe(200);
    expect(await lastCredential()).toBeNull();

    const keyed = await (await target.fetch(`/providers/${provider.id}`, jsonInit('PUT', { apiKey: CANARY_KEY }))).json();
    expect(keyed.apiKeyHint).toBe('…6978');
    expect((await chat()).status).toBe(200);
    expect(await lastCredential()).toBe(`Bearer ${CANARY_KEY}`);

    const removed = await (await target.fetch(`/providers/${provider.id}`, jsonInit('PUT', { apiKey: null }))).json();
    expect(removed.apiKeyHint).toBeNull();
    expect((await chat()).status).toBe(200);
    expect(await lastCredential()).toBeNull();
  });
});

describe('validation', () => {
  const invalidBodies: Array<[string, Record<string, unknown>, string]> = [
    ['missing name', { name: undefined }, 'name'],
    ['empty name', { name: '' }, 'name'],
    ['name with a slash', { name: 'a/b' }, 'name'],
    ['bad baseUrl', { baseUrl: 'not a url' }, 'baseUrl'],
    ['non-http baseUrl', { baseUrl: 'ftp://example.com' }, 'baseUrl'],
    ['empty apiKey', { apiKey: '' }, 'apiKey'],
    ['unknown routingMethod', { routingMethod: 'gemini' }, 'routingMethod'],
    ['header with CRLF', { customHeaders: { 'X-Ok': 'a\r\nInjected: yes' } }, 'customHeaders.X-Ok'],
    ['forbidden header', { customHeaders: { Authorization: 'Bearer other' } }, 'customHeaders.Authorization'],
    ['unknown field', { extra: true }, 'extra'],
    ['negative price', { pricing: { 'gpt-4o*': { input: -1, output: 10 } } }, 'pricing.gpt-4o*.input'],
    ['price without output', { pricing: { 'gpt-4o*': { input: 2.5 } } }, 'pricing.gpt-4o*.output'],
    ['unknown price field', { pricing: { 'gpt-4o*': { input: 2.5, output: 10, reasoning: 10 } } }, 'pricing.gpt-4o*.reasoning'],
    ['price that is a string', { pricing: { '*': { input: '2.5', output: 10 } } }, 'pricing.*.input'],
    ['pattern with 9 stars', { pricing: { 'a*b*c*d*e*f*g*h*i*j': { input: 1, output: 1 } } }, 'pricing.a*b*c*d*e*f*g*h*i*j'],
    ['pricing that is a list', { pricing: [{ input: 1, output: 1 }] }, 'pricing'],
  ];

  it('keeps pricing as given, shows it, replaces it on update and removes it with null', async () => {
    const pricing = { 'gpt-4o*': { input: 2.5, output: 10, cachedInput: 1.25 }, 'claude-*': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 } };
    const created = await (await target.fetch('/providers', jsonInit('POST', { ...validProvider(), pricing }))).json();
    expect(created.pricing).toEqual(pricing);
    expect((await (await target.fetch(`/providers/${created.id}`)).json()).pricing).toEqual(pricing);
    const replaced = await (await target.fetch(`/providers/${created.id}`, jsonInit('PUT', { pricing: { '*': { input: 0, output: 0 } } }))).json();
    expect(replaced.pricing).toEqual({ '*': { input: 0, output: 0 } });
    const removed = await (await target.fetch(`/providers/${created.id}`, jsonInit('PUT', { pricing: null }))).json();
    expect(removed).not.toHaveProperty('pricing');
    expect((await target.fetch(`/providers/${created.id}`, jsonInit('PUT', { pricing: { x: { input: 1 } } }))).status).toBe(400);
  });

  it.each(invalidBodies)('refuses %s with VALIDATION_ERROR naming the field, storing nothing', async (_, change, field) => {
    const before = (await (await target.fetch('/providers')).json()).data.length;
    const response = await target.fetch('/providers', jsonInit('POST', { ...validProvider(), ...change }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.details.field).toBe(field);
    expect((await (await target.fetch('/providers')).json()).data.length).toBe(before);
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await target.fetch('/providers', { method: 'POST', headers: adminHeaders, body: '{"name": ' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'body' } });
  });

  it('refuses a body that is not JSON by Content-Type', async () => {
    const response = await target.fetch('/providers', { method: 'POST', headers: { ...adminHeaders, 'content-type': 'text/plain' }, body: JSON.stringify(validProvider()) });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'Content-Type' } });
  });

  it('leaves a provider unchanged when an update fails validation', async () => {
    const provider = await (await target.fetch('/providers', jsonInit('POST', validProvider()))).json();
    const response = await target.fetch(`/providers/${provider.id}`, jsonInit('PUT', { name: 'ok-name', baseUrl: 'nope' }));
    expect(response.status).toBe(400);
    expect(await (await target.fetch(`/providers/${provider.id}`, { headers: adminHeaders })).json()).toEqual(provider);
  });

  it('refuses a duplicate name with 409 CONFLICT', async () => {
    const input = validProvider();
    expect((await target.fetch('/providers', jsonInit('POST', input))).status).toBe(201);
    const duplicate = await target.fetch('/providers', jsonInit('POST', { ...input, name: input.name.toUpperCase() }));
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json()).error).toMatchObject({ code: 'CONFLICT', details: { field: 'name' } });
  });
});

describe('custom header values', () => {
  // RFC 9110 field-value: visible ASCII, spaces and tabs inside only. Each of these used to be
  // stored and then fail every call as "Could not reach the provider".
  const unsendable: Array<[string, string]> = [
    ['a vertical tab', 'a\u000bb'],
    ['a NUL', 'a\u0000b'],
    ['a DEL', 'a\u007fb'],
    ['a line feed', 'a\nb'],
    ['a leading space', ' padded'],
    ['a trailing tab', 'padded\t'],
    ['obs-text (Latin-1)', 'caf\u00e9'],
    ['a character beyond Latin-1', 'sn\u2603w'],
  ];
  const rule = 'header values may hold only visible ASCII characters, with spaces and tabs inside but not at either end';

  it.each(unsendable)('refuses a value with %s on POST, naming the header and storing nothing', async (_, value) => {
    const before = (await (await target.fetch('/providers')).json()).data.length;
    const response = await target.fetch('/providers', jsonInit('POST', { ...validProvider(), customHeaders: { 'X-Title': value } }));
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error).toEqual({
      code: 'VALIDATION_ERROR',
      message: `Invalid customHeaders.X-Title: ${rule}`,
      details: { field: 'customHeaders.X-Title', issue: rule, issues: [{ field: 'customHeaders.X-Title', issue: rule }] },
    });
    expect((await (await target.fetch('/providers')).json()).data.length).toBe(before);
  });

  it.each(unsendable)('refuses a value with %s on PUT, leaving the provider as it was', async (_, value) => {
    const provider = await (await target.fetch('/providers', jsonInit('POST', { ...validProvider(), customHeaders: { 'X-Title': 'before' } }))).json();
    const response = await target.fetch(`/providers/${provider.id}`, jsonInit('PUT', { customHeaders: { 'X-Title': value } }));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'customHeaders.X-Title' } });
    expect(await (await target.fetch(`/providers/${provider.id}`, { headers: adminHeaders })).json()).toEqual(provider);
  });

  it('accepts spaces and tabs inside a value, and sends the value to the provider exactly as stored', async () => {
    const value = 'my app\tv2  (beta)';
    const provider = await createTestProvider(target, 'openai', { customHeaders: { 'X-Title': value } });
    expect((await (await target.fetch(`/providers/${provider.id}`, { headers: adminHeaders })).json()).customHeaders).toEqual({ 'x-test-run': provider.run, 'X-Title': value });
    const chat = await target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(chat.status).toBe(200);
    await chat.body?.cancel();
    const sent = await upstreamRequestsFor(target, provider);
    expect(sent.map((request) => request.headers['x-title'])).toEqual([value]);
  });
});

describe('the key never leaves', () => {
  it('appears in no response body or header of the provider routes', async () => {
    const created = await target.fetch('/providers', jsonInit('POST', validProvider()));
    const provider = await created.json();
    const responses = [
      JSON.stringify(provider),
      [...created.headers].join('\n'),
      await (await target.fetch('/providers')).text(),
      await (await target.fetch(`/providers/${provider.id}`)).text(),
      await (await target.fetch(`/providers/${provider.id}`, jsonInit('PUT', { customHeaders: { 'X-A': 'b' } }))).text(),
    ];
    for (const text of responses) {
      expect(text).not.toContain('CANARY');
      expect(text).not.toContain('encryptedApiKey');
    }
  });
});
