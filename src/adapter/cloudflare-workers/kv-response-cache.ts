import type { ResponseCache } from '../../storage/response-cache.ts';
import type { KvNamespace } from './worker-bindings.ts';

// The response cache on Workers, in KV under `response-cache:<key>` with an expiry. KV rather
// than the Cache API: KV is one store for every location (an answer cached in Frankfurt is a hit
// in Paris, within KV's propagation time of about 60 s), while the Cache API keeps a copy per data
// center and does nothing on workers.dev domains. KV cannot expire a key sooner than 60 s, so a
// shorter TTL is enforced by the expiry the chat service stores inside the value.

const PREFIX = 'response-cache:';
const KV_MIN_EXPIRATION_TTL_SECONDS = 60;

export function createKvResponseCache(kv: KvNamespace): ResponseCache {
  return {
    get: (key) => kv.get(`${PREFIX}${key}`, 'text'),
    async set(key, value, ttlSeconds) {
      await kv.put(`${PREFIX}${key}`, value, { expirationTtl: Math.max(KV_MIN_EXPIRATION_TTL_SECONDS, ttlSeconds) });
    },
  };
}
