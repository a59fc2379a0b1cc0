import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { createWorkerApp } from '../../src/adapter/cloudflare-workers/create-worker-app.ts';
import type { WorkerEnv } from '../../src/adapter/cloudflare-workers/worker-bindings.ts';
import { adminHeaders } from '../support/target.ts';
import { freshKvNamespace } from './prefixed-kv.ts';

// What the Worker stores: no provider key, no custom header value and no access key in plain text
// anywhere in KV or in the usage ledger's SQLite, after a provider, a key and chats through it; and
// a provider record an older version wrote with its header values in plain text is encrypted at
// its next write, every value kept.

const PROVIDER_KEY = 'sk-CANARY-at-rest-workers-0123456789';
const HEADER_VALUE = 'AIza-CANARY-at-rest-workers-header';

async function kvContents(kv: ReturnType<typeof freshKvNamespace>): Promise<string[]> {
  const stored: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: '', ...(cursor ? { cursor } : {}) });
    for (const entry of page.keys) stored.push(entry.name, (await kv.get(entry.name, 'text')) ?? '');
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return stored;
}

describe('secrets at rest on Workers', () => {
  it('are in no KV value, no KV key and no ledger row', async () => {
    const kv = freshKvNamespace(env.PROVIDERS_KV);
    const { app } = await createWorkerApp({ ...(env as WorkerEnv), PROVIDERS_KV: kv });
    const call = (path: string, init: RequestInit) => Promise.resolve(app.fetch(new Request(`http://gateway.test/api/v1${path}`, init), env));
    const name = `at-rest-${crypto.randomUUID().slice(0, 8)}`;
    expect((await call('/providers', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name, baseUrl: `${inject('upstreamUrl')}/openai/v1`, apiKey: PROVIDER_KEY, routingMethod: 'openai', customHeaders: { 'X-Goog-Api-Key': HEADER_VALUE } }) })).status).toBe(201);
    const key = await (await call('/keys', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name: 'at-rest' }) })).json();
    for (const stream of [false, true]) {
      const chat = await call('/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: `${name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }], stream }) });
      expect(chat.status).toBe(200);
      await chat.text();
    }

    const stored = await kvContents(kv);
    expect(stored.some((text) => text.includes(key.id))).toBe(true);
    for (const text of stored) {
      expect(text).not.toContain(PROVIDER_KEY);
      expect(text).not.toContain(HEADER_VALUE);
      expect(text).not.toContain(key.key);
      expect(text).not.toContain(key.key.slice(4));
    }

    const ledger = env.USAGE_LEDGER.get(env.USAGE_LEDGER.idFromName('ledger'));
    const rows = await runInDurableObject(ledger, (_instance, state) =>
      state.storage.sql.exec('SELECT * FROM usage WHERE key_id = ?', key.id).toArray(),
    );
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain(key.key.slice(4));
    expect(JSON.stringify(rows)).not.toContain(PROVIDER_KEY);
  });

  it('encrypts the header values of a record an older version stored in plain text at its next write', async () => {
    const kv = freshKvNamespace(env.PROVIDERS_KV);
    const { app } = await createWorkerApp({ ...(env as WorkerEnv), PROVIDERS_KV: kv });
    const call = (path: string, init: RequestInit = { headers: adminHeaders }) => Promise.resolve(app.fetch(new Request(`http://gateway.test/api/v1${path}`, init), env));
    const name = `legacy-${crypto.randomUUID().slice(0, 8)}`;
    const provider = await (await call('/providers', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name, baseUrl: `${inject('upstreamUrl')}/openai/v1`, apiKey: PROVIDER_KEY, routingMethod: 'openai' }) })).json();
    const key = `provider:${provider.id}`;
    const record = JSON.parse((await kv.get(key, 'text'))!);
    await kv.put(key, JSON.stringify({ ...record, customHeaders: { 'X-Goog-Api-Key': HEADER_VALUE } }));

    // Read and sent as they are until then.
    expect((await (await call(`/providers/${provider.id}`)).json()).customHeaders).toEqual({ 'X-Goog-Api-Key': HEADER_VALUE });
    expect((await call(`/providers/${provider.id}`, { method: 'PUT', headers: adminHeaders, body: JSON.stringify({ name: `${name}-renamed` }) })).status).toBe(200);
    const rewritten = (await kv.get(key, 'text'))!;
    expect(rewritten).not.toContain(HEADER_VALUE);
    expect(JSON.parse(rewritten)).toMatchObject({ name: `${name}-renamed`, customHeaders: {}, encryptedCustomHeaders: { v: 1 } });
    expect((await (await call(`/providers/${provider.id}`)).json()).customHeaders).toEqual({ 'X-Goog-Api-Key': HEADER_VALUE });
  });
});
