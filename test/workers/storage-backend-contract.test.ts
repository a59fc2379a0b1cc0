import { env } from 'cloudflare:test';
import { createWorkersBackend } from '../../src/adapter/cloudflare-workers/workers-backend.ts';
import type { WorkerEnv } from '../../src/adapter/cloudflare-workers/worker-bindings.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { describeStorageBackendContract } from '../support/storage-backend-contract.ts';
import { freshKvNamespace } from './prefixed-kv.ts';

// The storage contract on the Workers backend, inside workerd: Miniflare's KV, the rate-limit
// counter Durable Objects, the SQLite usage ledger Durable Object (UsageLedgerObject) and the
// route target rests object (TargetRestsObject). Each
// test gets an empty view: a fresh KV prefix, and Durable Objects addressed under fresh names.

const logger = createLogger({ level: 'silent', write: () => undefined });

function freshNames<N extends { idFromName(name: string): unknown }>(namespace: N): N {
  const prefix = `${crypto.randomUUID()}/`;
  return Object.assign(Object.create(namespace) as N, { idFromName: (name: string) => namespace.idFromName(prefix + name), get: (id: unknown) => (namespace as unknown as { get(id: unknown): unknown }).get(id) });
}

describeStorageBackendContract('Workers backend', async () => {
  const fresh: WorkerEnv = {
    ...env,
    PROVIDERS_KV: freshKvNamespace(env.STORE_TEST_KV),
    RATE_LIMIT_COUNTER: freshNames(env.RATE_LIMIT_COUNTER),
    USAGE_LEDGER: freshNames(env.USAGE_LEDGER),
    TARGET_RESTS: freshNames(env.TARGET_RESTS),
  };
  // A generous timeout: a busy test machine must not turn a slow counter call into an uncounted hit.
  return createWorkersBackend(fresh, { logger, rateLimitStoreTimeoutMs: 15_000 });
});
