import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { createWorkerApp } from '../../src/adapter/cloudflare-workers/create-worker-app.ts';
import { UsageLedgerObject } from '../../src/adapter/cloudflare-workers/usage-ledger-object.ts';
import type { WorkerEnv } from '../../src/adapter/cloudflare-workers/worker-bindings.ts';
import { adminHeaders } from '../support/target.ts';
import { freshKvNamespace } from './prefixed-kv.ts';

// The usage ledger's Durable Object inside workerd: a record whose tokens are the gateway's
// estimate says so in its row, and a ledger written before that column existed gains it on its
// next start with every record kept; so does one written before routes, with their column.

const freshLedger = () => env.USAGE_LEDGER.get(env.USAGE_LEDGER.idFromName(`ledger-test-${crypto.randomUUID()}`));

describe('the usage ledger object', () => {
  it('marks the record of a stream left before its usage came as estimated', async () => {
    const { app } = await createWorkerApp({ ...(env as WorkerEnv), PROVIDERS_KV: freshKvNamespace(env.PROVIDERS_KV) });
    const call = (path: string, init: RequestInit) => Promise.resolve(app.fetch(new Request(`http://gateway.test/api/v1${path}`, init), env));
    const name = `estimated-${crypto.randomUUID().slice(0, 8)}`;
    expect((await call('/providers', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name, baseUrl: `${inject('upstreamUrl')}/openai/v1`, apiKey: 'sk-CANARY-estimated-0000001', routingMethod: 'openai' }) })).status).toBe(201);
    const key = await (await call('/keys', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name: 'estimated' }) })).json();
    const body = { model: `${name}/hang-body@estimated-${crypto.randomUUID().slice(0, 8)}`, messages: [{ role: 'user', content: 'Hi' }], stream: true };
    const reader = (await call('/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).body!.getReader();
    let text = '';
    while (!text.includes('Hello')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();

    const ledger = env.USAGE_LEDGER.get(env.USAGE_LEDGER.idFromName('ledger'));
    let rows: unknown[] = [];
    for (let waited = 0; rows.length === 0 && waited < 5_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rows = await runInDurableObject(ledger, (_instance, state) => state.storage.sql.exec('SELECT outcome, prompt_tokens, completion_tokens, estimated FROM usage WHERE key_id = ?', key.id).toArray());
    }
    expect(rows).toEqual([{ outcome: '499', prompt_tokens: Math.ceil(JSON.stringify(body).length / 4), completion_tokens: 2, estimated: 1 }]);
  });

  it('adds the estimated column to a ledger written before it, keeping its records', async () => {
    const rows = await runInDurableObject(freshLedger(), (_instance, state) => {
      // The ledger as the previous version left it: its table without the column, no schema version.
      state.storage.sql.exec('DROP TABLE usage');
      state.storage.sql.exec(`CREATE TABLE usage (
        time INTEGER NOT NULL, key_id TEXT, provider_id TEXT NOT NULL, model TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, outcome TEXT NOT NULL,
        is_error INTEGER NOT NULL, latency_ms INTEGER NOT NULL, ttft_ms INTEGER, cached INTEGER NOT NULL)`);
      state.storage.sql.exec('INSERT INTO usage VALUES (1, ?, ?, ?, 10, 5, ?, 0, 20, NULL, 0)', 'k1', 'p1', 'm1', '200');
      state.storage.kv.put('usage-schema-version', 1);
      const restarted = new UsageLedgerObject(state as never, env);
      restarted.record({ time: 2, keyId: 'k1', providerId: 'p1', model: 'm1', promptTokens: 7, completionTokens: 3, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: null, outcome: 499, latencyMs: 5, timeToFirstTokenMs: null, cached: false, estimated: true });
      return state.storage.sql.exec('SELECT time, prompt_tokens, completion_tokens, estimated FROM usage ORDER BY time').toArray();
    });
    expect(rows).toEqual([
      { time: 1, prompt_tokens: 10, completion_tokens: 5, estimated: 0 },
      { time: 2, prompt_tokens: 7, completion_tokens: 3, estimated: 1 },
    ]);
  });

  it('adds the route column to a ledger written before routes, keeping its records', async () => {
    const rows = await runInDurableObject(freshLedger(), (_instance, state) => {
      // The ledger as schema version 2 left it: the estimated column, no route column.
      state.storage.sql.exec('ALTER TABLE usage DROP COLUMN route_name');
      // Columns named: the table has gained others since (the request log's, the cost ones).
      state.storage.sql.exec(
        'INSERT INTO usage (time, key_id, provider_id, model, prompt_tokens, completion_tokens, outcome, is_error, latency_ms, ttft_ms, cached, estimated) VALUES (1, ?, ?, ?, 10, 5, ?, 0, 20, NULL, 0, 0)',
        'k1', 'p1', 'm1', '200',
      );
      state.storage.kv.put('usage-schema-version', 2);
      const restarted = new UsageLedgerObject(state as never, env);
      restarted.record({ time: 2, keyId: 'k1', providerId: 'p1', model: 'm1', routeName: 'gpt-4o', promptTokens: 7, completionTokens: 3, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: null, outcome: 200, latencyMs: 5, timeToFirstTokenMs: null, cached: false });
      // Started again, it does not add the column twice.
      new UsageLedgerObject(state as never, env);
      return state.storage.sql.exec('SELECT time, prompt_tokens, route_name FROM usage ORDER BY time').toArray();
    });
    expect(rows).toEqual([
      { time: 1, prompt_tokens: 10, route_name: null },
      { time: 2, prompt_tokens: 7, route_name: 'gpt-4o' },
    ]);
  });
});
