import type { TargetRestStore } from '../../../storage/target-rest-store.ts';
import type { RedisConnection } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';

// A resting route target is one key, `target-rest:<provider id>/<model>`, holding the epoch ms it
// rests until and expiring (PX) when the rest ends, so every process sees it at its next request
// and nothing is left behind. The script keeps the later of two rests.

const REST_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]))
if current and current >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

export function createRedisTargetRests(connection: RedisConnection, keys: RedisKeys): TargetRestStore {
  return {
    async restingUntil(targets) {
      const found = new Map<string, number>();
      if (targets.length === 0) return found;
      const values = await connection.call((client) => client.mGet(targets.map(keys.targetRest)));
      targets.forEach((target, index) => {
        const until = Number(values[index]);
        if (values[index] !== null && Number.isFinite(until)) found.set(target, until);
      });
      return found;
    },
    async rest(target, until, forMs) {
      await connection.call((client) => client.eval(REST_SCRIPT, { keys: [keys.targetRest(target)], arguments: [String(until), String(Math.max(1, Math.ceil(forMs)))] }));
    },
  };
}
