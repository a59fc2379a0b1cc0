import * as z from 'zod';
import type { Logger } from '../../../logging/logger.ts';
import type { ModelsCache } from '../../../storage/models-cache.ts';
import type { RedisConnection } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';

// Model lists under `models:<providerId>`, expiring with PX, shared by every process. A cache:
// when Redis fails, a read is a miss and a write is skipped (logged), so the request goes on to
// the provider and needs no cache. A provider change drops its entry in the same script that
// writes the provider (redis-provider-store.ts), so a lost delete here cannot leave a stale list.

const valueSchema = z.object({ data: z.array(z.looseObject({ id: z.string() })), fetchedAt: z.string() });

export function createRedisModelsCache(connection: RedisConnection, keys: RedisKeys, logger: Logger): ModelsCache {
  const skip = (operation: string) => logger.warn('models cache unavailable; going without it', { operation });
  return {
    async get(providerId) {
      const text = await connection.call((client) => client.get(keys.models(providerId))).catch(() => {
        skip('get');
        return null;
      });
      if (text === null) return null;
      try {
        const parsed = valueSchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    async set(providerId, value, ttlMs) {
      if (ttlMs <= 0) return;
      await connection.call((client) => client.set(keys.models(providerId), JSON.stringify(value), { expiration: { type: 'PX', value: ttlMs } })).catch(() => skip('set'));
    },
    async delete(providerId) {
      await connection.call((client) => client.del(keys.models(providerId))).catch(() => skip('delete'));
    },
  };
}
