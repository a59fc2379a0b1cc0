import type { ResponseStore } from '../../../storage/response-store.ts';
import type { RedisConnection } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';

// Stored responses under `response:<id>`, expiring with EX, so a response stored through one
// process continues (previous_response_id) through any other. Unlike the response cache, a
// failure here is the request's failure (503 through the connection), since the caller asked to
// store or to continue.

export function createRedisResponseStore(connection: RedisConnection, keys: RedisKeys): ResponseStore {
  return {
    get: (id) => connection.call((client) => client.get(keys.storedResponse(id))),
    async put(id, value, ttlSeconds) {
      await connection.call((client) => client.set(keys.storedResponse(id), value, { expiration: { type: 'EX', value: ttlSeconds } }));
    },
    async delete(id) {
      return (await connection.call((client) => client.del(keys.storedResponse(id)))) > 0;
    },
  };
}
