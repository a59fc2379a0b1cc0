import { env, runInDurableObject } from 'cloudflare:test';
import { expect, it } from 'vitest';
import { UsageLedgerObject } from '../../src/adapter/cloudflare-workers/usage-ledger-object.ts';

// A deployment's usage table from before v1.2 (no token kinds, no cost) under the new
// UsageLedgerObject: its columns are added in place, the old rows read as costing 0 with no token
// kinds, and new rows keep theirs, an unknown price as NULL counted in unpricedRequests.

const OLD_TABLE = `CREATE TABLE usage (
  time INTEGER NOT NULL, key_id TEXT, provider_id TEXT NOT NULL, model TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, outcome TEXT NOT NULL,
  is_error INTEGER NOT NULL, latency_ms INTEGER NOT NULL, ttft_ms INTEGER, cached INTEGER NOT NULL)`;

const T = Date.UTC(2026, 11, 1, 10);

it('adds the cost columns to an older table; old rows cost 0, an unknown price is counted', async () => {
  const stub = env.USAGE_LEDGER.get(env.USAGE_LEDGER.idFromName(`migration-${crypto.randomUUID()}`));
  const rows = await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec('DROP TABLE usage');
    state.storage.sql.exec(OLD_TABLE);
    state.storage.sql.exec('INSERT INTO usage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', T, 'k1', 'p1', 'm1', 100, 20, '200', 0, 5, null, 0);
    // That deployment's schema version too (before the estimated flag).
    state.storage.kv.put('usage-schema-version', 1);
    // The object as a new version starts it on the same storage.
    const ledger = new UsageLedgerObject(state as never, env);
    const base = { time: T + 60_000, keyId: 'k1', providerId: 'p1', model: 'm1', outcome: 200, latencyMs: 5, timeToFirstTokenMs: null, cached: false };
    ledger.record({ ...base, promptTokens: 2006, completionTokens: 300, cachedPromptTokens: 1920, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0.005615 });
    ledger.record({ ...base, promptTokens: 10, completionTokens: 5, cachedPromptTokens: 0, cacheWriteTokens: 2, reasoningTokens: 1, costUsd: null });
    return [ledger.query({ from: T, to: T + 3_600_000, groupBy: [] }), new UsageLedgerObject(state as never, env).query({ from: T, to: T + 3_600_000, groupBy: ['key'] })];
  });
  const sums = { requests: 3, errors: 0, promptTokens: 2116, completionTokens: 325, cachedPromptTokens: 1920, cacheWriteTokens: 2, reasoningTokens: 1, costUsd: 0.005615, unpricedRequests: 1 };
  // A second start finds the columns there and adds nothing.
  expect(rows).toEqual([[sums], [{ key: 'k1', ...sums }]]);
});
