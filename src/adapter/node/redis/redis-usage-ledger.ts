import { groupBuckets, type UsageBucket } from '../../../storage/memory-usage-ledger.ts';
import { floorToHour, isErrorOutcome, type UsageLedger, type UsageRecord } from '../../../storage/usage-ledger.ts';
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
  multi
    .hIncrBy(hourKey, `r:${group}`, 1)
    .hIncrBy(hourKey, `e:${group}`, isErrorOutcome(entry.outcome) ? 1 : 0)
    .hIncrBy(hourKey, `p:${group}`, entry.promptTokens)
    .hIncrBy(hourKey, `c:${group}`, entry.completionTokens)
    .zAdd(keys.usageHours, { score: hour, value: String(hour) });
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
  }
  return multi;
}

export function createRedisUsageLedger(connection: RedisConnection, keys: RedisKeys): UsageLedger {
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

    async tokensSince(keyId, since) {
      return connection.call(async (client) => {
        const [earlier, total] = await Promise.all([client.zCount(keys.keyHours(keyId), '-inf', `(${since}`), client.hGet(keys.keyTokens(keyId), 'total')]);
        // Nothing before `since`: the total is the answer, whatever the number of hours.
        if (earlier === 0) return Number(total ?? 0);
        const hours = await client.zRange(keys.keyHours(keyId), since, '+inf', { BY: 'SCORE' });
        if (hours.length === 0) return 0;
        const tokens = await client.hmGet(keys.keyTokens(keyId), hours);
        return tokens.reduce((sum, value) => sum + Number(value ?? 0), 0);
      });
    },

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
      bucket = { keyId, providerId, model, routeName: routeName ?? null, hour, requests: 0, errors: 0, promptTokens: 0, completionTokens: 0 };
      buckets.set(group, bucket);
    }
    const count = Number(value);
    if (counter === 'r') bucket.requests += count;
    else if (counter === 'e') bucket.errors += count;
    else if (counter === 'p') bucket.promptTokens += count;
    else if (counter === 'c') bucket.completionTokens += count;
  }
  return [...buckets.values()];
}
