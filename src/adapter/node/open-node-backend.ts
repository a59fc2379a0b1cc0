import { resolve } from 'node:path';
import type { AppConfig } from '../../config/config-schema.ts';
import type { Logger } from '../../logging/logger.ts';
import { openJsonFileBackend, type JsonFileBackend } from './json-file-backend.ts';
import { openRedisBackend, type RedisBackend } from './redis/redis-backend.ts';

// The one place that turns the configuration into a storage backend: Redis when REDIS_URL is
// set, else the JSON files in the data folder (the default). The server, rotate-key and the
// tests all open theirs here, so they cannot disagree about where the data is.

export type NodeBackend = JsonFileBackend | RedisBackend;

export interface NodeBackendOptions {
  logger: Logger;
  /** How long to wait for a stale lock on the data folder; for tests that want a refusal sooner. */
  lockWaitMs?: number;
  /** How long Redis may be unreachable at start-up; for tests that want a refusal sooner. */
  redisStartupWaitMs?: number;
  /** CLIENT SETNAME for Redis: which program holds the connection. */
  clientName?: string;
}

export function openNodeBackend(config: AppConfig, options: NodeBackendOptions): Promise<NodeBackend> {
  if (config.REDIS_URL !== undefined) {
    return openRedisBackend({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger: options.logger, clientName: options.clientName, startupWaitMs: options.redisStartupWaitMs });
  }
  return openJsonFileBackend({ providersFile: resolve(config.PROVIDERS_FILE), logger: options.logger, lockWaitMs: options.lockWaitMs, responseCacheMaxBytes: config.RESPONSE_CACHE_MAX_BYTES });
}
