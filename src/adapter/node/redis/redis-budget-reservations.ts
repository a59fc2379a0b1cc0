import type { BudgetReservations } from '../../../storage/budget-reservations.ts';
import type { RedisConnection } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';
import { queueUsageRecord } from './redis-usage-ledger.ts';

// Budget reservations in Redis, one hash per access key (reservation id ->
// "<tokens>:<expiresAt>:<nano-dollars>"), so every process sharing the Redis checks against the
// same holds. Reserving is one Lua script, which Redis runs atomically: it sums the key's tokens
// and cost for the period from the usage ledger's own keys (as tokensSince and costSince do), drops
// expired holds, sums the rest, and adds the new one only when the three together stay within each
// limit the budget sets (an empty limit argument: that unit is not checked). Settling is one MULTI:
// the usage record's increments and the HDEL of the hold. The hash's own expiry (PEXPIRE, renewed
// with each reservation) makes a key whose every request died with its process leave nothing
// behind. A hold written before dollars ("<tokens>:<expiresAt>") reads as costing 0.

const RESERVE_SCRIPT = `
local since = ARGV[2]
local function usedOf(hash)
  if redis.call('ZCOUNT', KEYS[2], '-inf', '(' .. since) == 0 then
    return tonumber(redis.call('HGET', hash, 'total') or '0')
  end
  local sum = 0
  local hours = redis.call('ZRANGEBYSCORE', KEYS[2], since, '+inf')
  for i = 1, #hours do sum = sum + tonumber(redis.call('HGET', hash, hours[i]) or '0') end
  return sum
end
local used = usedOf(KEYS[3])
local usedCost = usedOf(KEYS[4])
local now = tonumber(ARGV[5])
local reserved = 0
local reservedCost = 0
local held = redis.call('HGETALL', KEYS[1])
for i = 1, #held, 2 do
  local tokens, expiresAt, cost = string.match(held[i + 1], '^(%d+):(%d+):?(%d*)$')
  if tokens == nil or tonumber(expiresAt) <= now then
    redis.call('HDEL', KEYS[1], held[i])
  else
    reserved = reserved + tonumber(tokens)
    reservedCost = reservedCost + (tonumber(cost) or 0)
  end
end
local outcome = {used, reserved, usedCost, reservedCost}
if ARGV[3] ~= '' and used + reserved + tonumber(ARGV[4]) > tonumber(ARGV[3]) then return {0, unpack(outcome)} end
if ARGV[8] ~= '' and usedCost + reservedCost + tonumber(ARGV[9]) > tonumber(ARGV[8]) then return {0, unpack(outcome)} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4] .. ':' .. ARGV[6] .. ':' .. ARGV[9])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return {1, unpack(outcome)}
`;

const RENEW_SCRIPT = `
local held = redis.call('HGET', KEYS[1], ARGV[1])
if not held then return 0 end
local tokens, _, cost = string.match(held, '^(%d+):(%d+):?(%d*)$')
redis.call('HSET', KEYS[1], ARGV[1], tokens .. ':' .. ARGV[2] .. ':' .. (cost ~= '' and cost or '0'))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

const limitArgument = (limit: number | undefined) => (limit === undefined ? '' : String(limit));

export function createRedisBudgetReservations(connection: RedisConnection, keys: RedisKeys): BudgetReservations {
  return {
    async reserve(request) {
      const leaseMs = Math.max(1, request.expiresAt - request.now);
      const [granted, usedTokens, reservedTokens, usedCost, reservedCost] = (await connection.call((client) =>
        client.eval(RESERVE_SCRIPT, {
          keys: [keys.budgetReservations(request.keyId), keys.keyHours(request.keyId), keys.keyTokens(request.keyId), keys.keyCost(request.keyId)],
          arguments: [
            request.id,
            String(request.since),
            limitArgument(request.limit.tokens),
            String(request.amount.tokens),
            String(request.now),
            String(request.expiresAt),
            String(leaseMs),
            limitArgument(request.limit.costNanos),
            String(request.amount.costNanos),
          ],
        }),
      )) as [number, number, number, number, number];
      return { granted: granted === 1, used: { tokens: usedTokens, costNanos: usedCost }, reserved: { tokens: reservedTokens, costNanos: reservedCost } };
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
