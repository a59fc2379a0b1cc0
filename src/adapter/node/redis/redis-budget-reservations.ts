import type { BudgetReservations } from '../../../storage/budget-reservations.ts';
import type { RedisConnection } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';
import { queueUsageRecord } from './redis-usage-ledger.ts';

// Budget reservations in Redis, one hash per access key (reservation id -> "<tokens>:<expiresAt>"),
// so every process sharing the Redis checks against the same holds. Reserving is one Lua script,
// which Redis runs atomically: it sums the key's tokens for the period from the usage ledger's own
// keys (as tokensSince does), drops expired holds, sums the rest, and adds the new one only when
// the three together stay within the budget. Settling is one MULTI: the usage record's increments
// and the HDEL of the hold. The hash's own expiry (PEXPIRE, renewed with each reservation) makes a
// key whose every request died with its process leave nothing behind.

const RESERVE_SCRIPT = `
local since = ARGV[2]
local used = 0
if redis.call('ZCOUNT', KEYS[2], '-inf', '(' .. since) == 0 then
  used = tonumber(redis.call('HGET', KEYS[3], 'total') or '0')
else
  local hours = redis.call('ZRANGEBYSCORE', KEYS[2], since, '+inf')
  for i = 1, #hours do used = used + tonumber(redis.call('HGET', KEYS[3], hours[i]) or '0') end
end
local now = tonumber(ARGV[5])
local reserved = 0
local held = redis.call('HGETALL', KEYS[1])
for i = 1, #held, 2 do
  local tokens, expiresAt = string.match(held[i + 1], '^(%d+):(%d+)$')
  if tokens == nil or tonumber(expiresAt) <= now then
    redis.call('HDEL', KEYS[1], held[i])
  else
    reserved = reserved + tonumber(tokens)
  end
end
if used + reserved + tonumber(ARGV[4]) > tonumber(ARGV[3]) then return {0, used, reserved} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4] .. ':' .. ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return {1, used, reserved}
`;

const RENEW_SCRIPT = `
local held = redis.call('HGET', KEYS[1], ARGV[1])
if not held then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], string.match(held, '^(%d+):') .. ':' .. ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

export function createRedisBudgetReservations(connection: RedisConnection, keys: RedisKeys): BudgetReservations {
  return {
    async reserve(request) {
      const leaseMs = Math.max(1, request.expiresAt - request.now);
      const [granted, used, reserved] = (await connection.call((client) =>
        client.eval(RESERVE_SCRIPT, {
          keys: [keys.budgetReservations(request.keyId), keys.keyHours(request.keyId), keys.keyTokens(request.keyId)],
          arguments: [request.id, String(request.since), String(request.limit.tokens), String(request.amount.tokens), String(request.now), String(request.expiresAt), String(leaseMs)],
        }),
      )) as [number, number, number];
      return { granted: granted === 1, used: { tokens: used }, reserved: { tokens: reserved } };
    },
    async renew(keyId, id, now, expiresAt) {
      const leaseMs = Math.max(1, expiresAt - now);
      await connection.call((client) => client.eval(RENEW_SCRIPT, { keys: [keys.budgetReservations(keyId)], arguments: [id, String(expiresAt), String(leaseMs)] }));
    },
    async settle(keyId, id, entry) {
      await connection.call((client) => queueUsageRecord(client.multi(), keys, entry).hDel(keys.budgetReservations(keyId), id).exec());
    },
    async release(keyId, id) {
      await connection.call((client) => client.hDel(keys.budgetReservations(keyId), id));
    },
  };
}
