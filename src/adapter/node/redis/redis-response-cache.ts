import type { Logger } from '../../../logging/logger.ts';
import type { ResponseCache } from '../../../storage/response-cache.ts';
import type { RedisConnection } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';

// Cached answers under `response-cache:<key>`, expiring with EX, so an answer cached by one
// process is a hit in every other. When Redis fails, a read is a miss and a write is skipped
// (logged): the request is answered by the provider instead, which is what a miss means anyway.

export function createRedisResponseCache(connection: RedisConnection, keys: RedisKeys, logger: Logger): ResponseCache {
  const skip = (operation: string) => logger.warn('response cache unavailable; going without it', { operation });
  return {
    async get(key) {
      return connection.call((client) => client.get(keys.responseCache(key))).catch(() => {
        skip('get');
        return null;
      });
    },
    async set(key, value, ttlSeconds) {
      await connection.call((client) => client.set(keys.responseCache(key), value, { expiration: { type: 'EX', value: ttlSeconds } })).catch(() => skip('set'));
    },
  };
}
