// Every key the gateway writes in Redis, in one place. All start with REDIS_KEY_PREFIX
// (default `llmgw:`); docs/redis.md lists them.
//
//   <prefix>salt                      string  the PBKDF2 salt, base64 (as in providers.json.salt)
//   <prefix>providers                 hash    provider id -> the StoredProvider JSON (as in providers.json)
//   <prefix>provider-names            hash    lower-case name -> provider id (the unique-name guard)
//   <prefix>access-keys               hash    access key id -> the StoredAccessKey JSON (a hash, never the key)
//   <prefix>access-key-hashes         hash    SHA-256 of the secret -> access key id
//   <prefix>usage:hours               zset    every hour (epoch ms) that has usage, scored by itself
//   <prefix>usage:hour:<hour>         hash    `<counter>:<JSON [keyId, providerId, model, routeName?]>` -> count;
//                                             counters r (requests), e (errors), p, c (tokens),
//                                             k, w, t (cached, cache-write, reasoning tokens),
//                                             $ (cost, nano-dollars), u (unpriced requests),
//                                             x (records whose tokens are the gateway's estimate)
//   <prefix>usage:key-hours:<keyId>   zset    the hours in which that key used tokens
//   <prefix>usage:key-tokens:<keyId>  hash    hour -> tokens, and `total`
//   <prefix>usage:key-cost:<keyId>    hash    hour -> nano-dollars, and `total`
//   <prefix>usage:last-used           zset    access key id scored by its last chat's time
//   <prefix>request-log               stream  one entry per usage record (`record`: its JSON), the last 30 days
//   <prefix>budget:reserved:<keyId>   hash    reservation id -> `<tokens>:<expiresAt ms>:<nano-dollars>`, the budget held
//                                             by that key's requests in flight, expiring (PX)
//   <prefix>models:<providerId>       string  the cached model list (JSON), expiring (PX)
//   <prefix>response-cache:<key>      string  a cached answer, expiring (EX)
//   <prefix>rate-limit:<limiter>:<client>  string  hono-rate-limiter's RedisStore counter, expiring
//   <prefix>routes                    hash    route id -> the route's JSON (as in routes.json)
//   <prefix>route-names               hash    lower-case route name -> route id
//   <prefix>target-rest:<provider id>/<model>  string  epoch ms a route target rests until (after a 429), expiring (PX)
//   <prefix>migrated-from             string  what `npm run migrate-store` copied last (its summary)

export type RedisKeys = ReturnType<typeof redisKeys>;

export function redisKeys(prefix: string) {
  return {
    prefix,
    salt: `${prefix}salt`,
    providers: `${prefix}providers`,
    providerNames: `${prefix}provider-names`,
    accessKeys: `${prefix}access-keys`,
    accessKeyHashes: `${prefix}access-key-hashes`,
    usageHours: `${prefix}usage:hours`,
    usageHour: (hour: number) => `${prefix}usage:hour:${hour}`,
    keyHours: (keyId: string) => `${prefix}usage:key-hours:${keyId}`,
    keyTokens: (keyId: string) => `${prefix}usage:key-tokens:${keyId}`,
    keyCost: (keyId: string) => `${prefix}usage:key-cost:${keyId}`,
    lastUsed: `${prefix}usage:last-used`,
    requestLog: `${prefix}request-log`,
    budgetReservations: (keyId: string) => `${prefix}budget:reserved:${keyId}`,
    models: (providerId: string) => `${prefix}models:${providerId}`,
    responseCache: (key: string) => `${prefix}response-cache:${key}`,
    storedResponse: (id: string) => `${prefix}response:${id}`,
    rateLimitPrefix: `${prefix}rate-limit:`,
    routes: `${prefix}routes`,
    routeNames: `${prefix}route-names`,
    targetRest: (target: string) => `${prefix}target-rest:${target}`,
    migratedFrom: `${prefix}migrated-from`,
  };
}
