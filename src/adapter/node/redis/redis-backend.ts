import type { Logger } from '../../../logging/logger.ts';
import type { OwnedStorageBackend } from '../../../storage/storage-backend.ts';
import { GATEWAY_CLIENT_NAME } from './connected-gateways.ts';
import { createRedisAccessKeyStore } from './redis-access-key-store.ts';
import { createRedisBudgetReservations } from './redis-budget-reservations.ts';
import { openRedisConnection, type RedisConnection } from './redis-connection.ts';
import { redisKeys, type RedisKeys } from './redis-keys.ts';
import { createRedisModelsCache } from './redis-models-cache.ts';
import { createRedisProviderStore } from './redis-provider-store.ts';
import { createRedisRateLimitStore } from './redis-rate-limit-store.ts';
import { createRedisResponseStore } from './redis-response-store.ts';
import { createRedisResponseCache } from './redis-response-cache.ts';
import { createRedisRouteStore } from './redis-route-store.ts';
import { createRedisTargetRests } from './redis-target-rests.ts';
import { loadOrCreateRedisSalt } from './redis-salt.ts';
import { createRedisUsageLedger } from './redis-usage-ledger.ts';

// Node's storage when REDIS_URL is set: everything in one Redis, so any number of processes with
// the same REDIS_URL and PROVIDER_ENCRYPTION_KEY act as one gateway. Nothing is kept per process
// but the connection (and the circuit breaker, which the core keeps in memory on purpose).
//
// Failing closed or open, piece by piece: providers, access keys, budgets, usage queries and the
// salt fail closed (503 STORAGE_UNAVAILABLE: nothing may be served unchecked or half-written), and
// so does an access key's own rate limit; the shared rate limits and the two caches fail open
// (counted or cached when Redis answers, skipped with a warning when not), since the request
// itself still needs the stores that fail closed.

export interface RedisBackend extends OwnedStorageBackend {
  readonly kind: 'redis';
  readonly connection: RedisConnection;
  readonly keys: RedisKeys;
}

export interface RedisBackendOptions {
  url: string;
  keyPrefix: string;
  logger: Logger;
  /** CLIENT SETNAME: the gateway, rotate-key or migrate-store. */
  clientName?: string;
  /** At start-up, how long Redis may be unreachable (10 s unless a test wants less). */
  startupWaitMs?: number;
}

export async function openRedisBackend(options: RedisBackendOptions): Promise<RedisBackend> {
  const { logger } = options;
  const connection = await openRedisConnection({ url: options.url, logger, clientName: options.clientName ?? GATEWAY_CLIENT_NAME, startupWaitMs: options.startupWaitMs });
  const keys = redisKeys(options.keyPrefix);
  return {
    kind: 'redis',
    connection,
    keys,
    providers: createRedisProviderStore(connection, keys, logger),
    accessKeys: createRedisAccessKeyStore(connection, keys, logger),
    usage: createRedisUsageLedger(connection, keys),
    budgets: createRedisBudgetReservations(connection, keys),
    modelsCache: createRedisModelsCache(connection, keys, logger),
    responseCache: createRedisResponseCache(connection, keys, logger),
    responses: createRedisResponseStore(connection, keys),
    routes: createRedisRouteStore(connection, keys, logger),
    targetRests: createRedisTargetRests(connection, keys),
    rateLimitStore: (_, failure) => createRedisRateLimitStore(connection, keys, logger, failure),
    loadOrCreateSalt: () => loadOrCreateRedisSalt(connection, keys),
    isHealthy: () => connection.isHealthy(),
    close: () => connection.close(),
  };
}
