import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { createWorkerHandler } from '../../src/adapter/cloudflare-workers/worker-handler.ts';
import type { WorkerEnv } from '../../src/adapter/cloudflare-workers/worker-bindings.ts';
import { adminHeaders, CLIENT_TOKEN, jsonInit } from '../support/target.ts';
import { freshKvNamespace } from './prefixed-kv.ts';

// The Worker's fetch handler: one app (and one key derivation) per isolate, a clear log line and
// a bare 500 when the Worker is misconfigured, and state that outlives the isolate in KV.

const request = (path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${CLIENT_TOKEN}`);
  return new Request(`http://gateway.test/api/v1${path}`, { ...init, headers });
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the Worker fetch handler', () => {
  it('derives the encryption key once per isolate, however many requests arrive at once', async () => {
    const deriveKey = vi.spyOn(crypto.subtle, 'deriveKey');
    const handler = createWorkerHandler();
    const first = await Promise.all(Array.from({ length: 5 }, () => handler.fetch(request('/providers'), env)));
    expect(first.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    for (let index = 0; index < 5; index++) expect((await handler.fetch(request('/providers'), env)).status).toBe(200);
    expect(deriveKey).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a missing secret', { PROVIDER_ENCRYPTION_KEY: undefined }, /PROVIDER_ENCRYPTION_KEY is not set/],
    ['an invalid setting', { RATE_LIMIT_MAX_REQUESTS: 'many-9f3a' }, /RATE_LIMIT_MAX_REQUESTS/],
    ['a missing KV binding', { PROVIDERS_KV: undefined }, /PROVIDERS_KV is missing/],
    ['a missing static assets binding', { ASSETS: undefined }, /ASSETS is missing/],
    ['a guessable token in production', { NODE_ENV: 'production', ADMIN_TOKEN: 'many-9f3a-many-9f3a' }, /ADMIN_TOKEN: has fewer than 10 distinct characters/],
  ] as Array<[string, Partial<WorkerEnv>, RegExp]>)('answers 500 without details for %s, logs the reason, and recovers once fixed', async (_, broken, reason) => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(line));
    const handler = createWorkerHandler();

    const response = await handler.fetch(request('/health'), { ...env, ...broken } as WorkerEnv);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'The gateway is not configured correctly; see the Worker logs' } });
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ level: 'error', message: 'cannot start', reason: expect.stringMatching(reason) });
    expect(logged[0]).not.toContain('many-9f3a');

    expect((await handler.fetch(request('/health'), env)).status).toBe(200);
  });

  it('warns of a guessable token outside production, naming the variable, not the value', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
    const handler = createWorkerHandler();
    expect((await handler.fetch(request('/health'), { ...env, NODE_ENV: 'development', API_AUTH_TOKEN: 'many-9f3a-many-9f3a' } as WorkerEnv)).status).toBe(200);
    const warnings = logged.map((line) => JSON.parse(line)).filter((line) => line.level === 'warn');
    expect(warnings).toEqual([expect.objectContaining({ message: 'API_AUTH_TOKEN has fewer than 10 distinct characters, so it is easy to guess; use a random one (e.g. `openssl rand -base64 32`); NODE_ENV=production refuses it' })]);
    expect(logged.join('\n')).not.toContain('many-9f3a');
  });

  it('serves a provider saved by one isolate from a fresh one: salt and records live in KV', async () => {
    const workerEnv = { ...env, PROVIDERS_KV: freshKvNamespace(env.PROVIDERS_KV) } as WorkerEnv;
    const created = await createWorkerHandler().fetch(
      request('/providers', jsonInit('POST', { name: `iso-${crypto.randomUUID().slice(0, 8)}`, baseUrl: `${inject('upstreamUrl')}/openai/v1`, apiKey: 'sk-CANARY-isolates-00000000', routingMethod: 'openai' }, adminHeaders)),
      workerEnv,
    );
    expect(created.status).toBe(201);
    const provider = await created.json();

    const fresh = createWorkerHandler();
    const chat = await fresh.fetch(
      request('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }) }),
      workerEnv,
    );
    expect(chat.status).toBe(200);
    expect((await chat.json()).choices[0].message.content).toBe('Hello from the fake upstream! 👋');
  });
});
