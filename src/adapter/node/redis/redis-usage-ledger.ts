import { countsOf, groupBuckets, ZERO_COUNTS, type UsageBucket, type UsageCounts } from '../../../storage/memory-usage-ledger.ts';
import { NANO_USD_PER_USD } from '../../../cost/price-tokens.ts';
import { floorToHour, type UsageLedger, type UsageRecord } from '../../../storage/usage-ledger.ts';
import type { RedisClient, RedisConnection } from './redis-connection.ts';
import { appendToRequestLog } from './redis-request-log.ts';
import type { RedisKeys } from './redis-keys.ts';

// The usage ledger in Redis: the same hourly sums per key, provider and model as the memory
// ledger (memory-usage-ledger.ts), so GET /usage and budgets read exactly what they read on one
// process, whichever process recorded. A record is one MULTI of increments (HINCRBY, ZADD), so it
// counts whole or not at all and concurrent records from many processes never overwrite each
// other. The sums are what every query reads, and they stay small (one hash per hour of traffic);
// the records themselves go to the request log's stream (redis-request-log.ts), kept 30 days.
//
// Per access key, tokens per hour and in total feed tokensSince (a day's budget reads at most 24
// hours, a month's at most 744, "total" one field), and last-used is a sorted set written with
// ZADD GT, so an older record arriving late never moves it back.
//
// An hour's hash holds one field per counter and group; the token kinds and the cost (in
// nano-dollars, so HINCRBY keeps the sum exact) are written only when not 0, and an hour written
// before v1.2 simply has none of them.

/** The hash field prefix of each counter. */
const COUNTER_FIELDS: Record<string, keyof UsageCounts> = {
  r: 'requests',
  e: 'errors',
  p: 'promptTokens',
  c: 'completionTokens',
  k: 'cachedPromptTokens',
  w: 'cacheWriteTokens',
  t: 'reasoningTokens',
  $: 'costNanos',
  u: 'unpricedRequests',
};

type Multi = ReturnType<RedisClient['multi']>;

/**
 * Queues one record's increments on a transaction, so a caller can add its own commands to the
 * same MULTI (settling a budget reservation records and releases in one step).
 */
export function queueUsageRecord(multi: Multi, keys: RedisKeys, entry: UsageRecord): Multi {
  const hour = floorToHour(entry.time);
  // A route's name is a fourth member, so the fields written before routes read as they did.
  const group = JSON.stringify(entry.routeName ? [entry.keyId, entry.providerId, entry.model, entry.routeName] : [entry.keyId, entry.providerId, entry.model]);
  const hourKey = keys.usageHour(hour);
  const counts = countsOf(entry);
  multi
    .hIncrBy(hourKey, `r:${group}`, 1)
    .hIncrBy(hourKey, `e:${group}`, counts.errors)
    .hIncrBy(hourKey, `p:${group}`, entry.promptTokens)
    .hIncrBy(hourKey, `c:${group}`, entry.completionTokens)
    .zAdd(keys.usageHours, { score: hour, value: String(hour) });
  for (const prefix of ['k', 'w', 't', '$', 'u']) {
    const value = counts[COUNTER_FIELDS[prefix]!];
    if (value !== 0) multi.hIncrBy(hourKey, `${prefix}:${group}`, value);
  }
  appendToRequestLog(multi, keys, entry);
  // Records whose tokens are the gateway's estimate (a stream that ended without the upstream's usage).
  if (entry.estimated === true) multi.hIncrBy(hourKey, `x:${group}`, 1);
  if (entry.keyId !== null) {
    const tokens = entry.promptTokens + entry.completionTokens;
    multi
      .hIncrBy(keys.keyTokens(entry.keyId), String(hour), tokens)
      .hIncrBy(keys.keyTokens(entry.keyId), 'total', tokens)
      .zAdd(keys.keyHours(entry.keyId), { score: hour, value: String(hour) })
      .zAdd(keys.lastUsed, { score: entry.time, value: entry.keyId }, { comparison: 'GT' });
    if (counts.costNanos !== 0) {
      multi.hIncrBy(keys.keyCost(entry.keyId), String(hour), counts.costNanos).hIncrBy(keys.keyCost(entry.keyId), 'total', counts.costNanos);
    }
  }
  return multi;
}

export function createRedisUsageLedger(connection: RedisConnection, keys: RedisKeys): UsageLedger {
  /** A key's amounts (a hash of hour -> amount, and `total`) from an hour on. */
  function sumSince(keyId: string, hash: string, since: number): Promise<number> {
    return connection.call(async (client) => {
      const [earlier, total] = await Promise.all([client.zCount(keys.keyHours(keyId), '-inf', `(${since}`), client.hGet(hash, 'total')]);
      // Nothing before `since`: the total is the answer, whatever the number of hours.
      if (earlier === 0) return Number(total ?? 0);
      const hours = await client.zRange(keys.keyHours(keyId), since, '+inf', { BY: 'SCORE' });
      if (hours.length === 0) return 0;
      const amounts = await client.hmGet(hash, hours);
      return amounts.reduce((sum, value) => sum + Number(value ?? 0), 0);
    });
  }

  return {
    async record(entry) {
      await connection.call((client) => queueUsageRecord(client.multi(), keys, entry).exec());
    },

    async query(selection) {
      const buckets = await connection.call(async (client) => {
        const hours = await client.zRange(keys.usageHours, selection.from, selection.to - 1, { BY: 'SCORE' });
        const sums = await Promise.all(hours.map((hour) => client.hGetAll(keys.usageHour(Number(hour)))));
        return hours.flatMap((hour, index) => bucketsOf(Number(hour), sums[index]!));
      });
      return groupBuckets(buckets, selection);
    },

    tokensSince: (keyId, since) => sumSince(keyId, keys.keyTokens(keyId), since),
    costSince: async (keyId, since) => (await sumSince(keyId, keys.keyCost(keyId), since)) / NANO_USD_PER_USD,

    async lastUsed() {
      const entries = await connection.call((client) => client.zRangeWithScores(keys.lastUsed, 0, -1));
      return new Map(entries.map((entry) => [entry.value, entry.score]));
    },
  };
}

/** One hour's hash back into buckets: `<counter>:<JSON [keyId, providerId, model, routeName?]>` -> count. */
function bucketsOf(hour: number, fields: Record<string, string>): UsageBucket[] {
  const buckets = new Map<string, UsageBucket>();
  for (const [field, value] of Object.entries(fields)) {
    const counter = field.slice(0, 1);
    const group = field.slice(2);
    let bucket = buckets.get(group);
    if (!bucket) {
      const [keyId, providerId, model, routeName] = JSON.parse(group) as [string | null, string, string, string?];
      bucket = { keyId, providerId, model, routeName: routeName ?? null, hour, ...ZERO_COUNTS };
      buckets.set(group, bucket);
    }
    const name = COUNTER_FIELDS[counter];
    if (name !== undefined) bucket[name] += Number(value);
  }
  return [...buckets.values()];
}
