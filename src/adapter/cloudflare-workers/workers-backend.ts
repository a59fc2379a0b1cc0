import type { Logger } from '../../logging/logger.ts';
import type { OwnedStorageBackend } from '../../storage/storage-backend.ts';
import { createDurableObjectBudgetReservations } from './durable-object-budget-reservations.ts';
import { createDurableObjectRateLimitStore } from './durable-object-rate-limit-store.ts';
import { createDurableObjectUsageLedger } from './durable-object-usage-ledger.ts';
import { guardRateLimitStore } from '../../storage/guard-rate-limit-store.ts';
import { createKvAccessKeyStore } from './kv-access-key-store.ts';
import { createKvModelsCache } from './kv-models-cache.ts';
import { createKvProviderStore } from './kv-provider-store.ts';
import { createKvResponseCache } from './kv-response-cache.ts';
import { createKvResponseStore } from './kv-response-store.ts';
import { createKvRouteStore } from './kv-route-store.ts';
import { createDurableObjectTargetRests } from './durable-object-target-rests.ts';
import { loadOrCreateKvSalt } from './kv-salt.ts';
import type { WorkerEnv } from './worker-bindings.ts';

// Storage on Workers: providers, access keys, the salt, the models cache and the response cache
// in the KV namespace;
// rate-limit counters, the usage ledger and its budget reservations, and resting route targets
// in Durable Objects, which count exactly across isolates and locations. Routes are in KV too.

export interface WorkersBackendOptions {
  logger: Logger;
  /** How long a rate-limit counter call may take before the request goes through uncounted. */
  rateLimitStoreTimeoutMs?: number;
}

export function createWorkersBackend(env: WorkerEnv, options: WorkersBackendOptions): OwnedStorageBackend {
  const { logger } = options;
  // KV has no compare-and-set: calls in one isolate share one read-or-create, so they agree at
  // least there (across locations see kv-salt.ts).
  let salt: Promise<Uint8Array<ArrayBuffer>> | undefined;
  const loadOrCreateSalt = () =>
    (salt ??= loadOrCreateKvSalt(env.PROVIDERS_KV).catch((error: unknown) => {
      salt = undefined;
      throw error;
    }));
  return {
    providers: createKvProviderStore(env.PROVIDERS_KV, { logger }),
    accessKeys: createKvAccessKeyStore(env.PROVIDERS_KV),
    usage: createDurableObjectUsageLedger(env.USAGE_LEDGER),
    budgets: createDurableObjectBudgetReservations(env.USAGE_LEDGER),
    modelsCache: createKvModelsCache(env.PROVIDERS_KV),
    responseCache: createKvResponseCache(env.PROVIDERS_KV),
    responses: createKvResponseStore(env.PROVIDERS_KV),
    routes: createKvRouteStore(env.PROVIDERS_KV),
    targetRests: createDurableObjectTargetRests(env.TARGET_RESTS),
    rateLimitStore: (_, failure) => guardRateLimitStore(createDurableObjectRateLimitStore(env.RATE_LIMIT_COUNTER), { logger, failure, timeoutMs: options.rateLimitStoreTimeoutMs }),
    loadOrCreateSalt,
    isHealthy: async () => true,
    close: async () => undefined,
  };
}
