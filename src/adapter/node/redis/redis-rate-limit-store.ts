import { RedisStore, type RedisClient as RateLimitRedisClient, type Store } from 'hono-rate-limiter';
import type { Logger } from '../../../logging/logger.ts';
import { guardRateLimitStore, type RateLimitFailure } from '../../../storage/guard-rate-limit-store.ts';
import { CALL_DEADLINE_MS, type RedisConnection } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';

// Rate-limit counters in Redis through hono-rate-limiter's own RedisStore (INCR and PEXPIRE in one
// Lua script, so every process counts into the same window, exactly). It asks for a small client
// interface; this maps it onto node-redis. Fails like the Durable Object store on Workers: with
// Redis unreachable, a shared limit lets the request through uncounted with a warning, because
// limiting protects the gateway but is not the service, and a request that needs Redis for
// anything else (providers, keys, budgets) is refused with 503 there anyway; an access key's own
// limit refuses it with 503 (guard-rate-limit-store.ts).

/** A quarter of a call's deadline: with a frozen Redis, this wait and one failed call still answer within 2 s. */
const RATE_LIMIT_TIMEOUT_MS = Math.floor(CALL_DEADLINE_MS / 4);

export function createRedisRateLimitStore(connection: RedisConnection, keys: RedisKeys, logger: Logger, failure: RateLimitFailure): Store {
  const { client } = connection;
  const adapted: RateLimitRedisClient = {
    scriptLoad: (script) => client.scriptLoad(script),
    evalsha: (sha, keys, args) => client.evalSha(sha, { keys, arguments: args.map(String) }) as never,
    decr: (key) => client.decr(key),
    del: (key) => client.del(key),
  };
  return guardRateLimitStore(new RedisStore({ client: adapted, prefix: keys.rateLimitPrefix }), { logger, failure, timeoutMs: RATE_LIMIT_TIMEOUT_MS });
}
