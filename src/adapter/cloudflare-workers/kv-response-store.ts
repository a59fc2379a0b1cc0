import type { ResponseStore } from '../../storage/response-store.ts';
import type { KvNamespace } from './worker-bindings.ts';

// Stored responses on Workers, in KV under `response:<id>` with KV's own expiry (at least 60 s,
// KV's minimum; the service's expiry inside the value is exact). A delete is seen everywhere
// within KV's propagation time, about 60 s.

const PREFIX = 'response:';
const KV_MIN_EXPIRATION_TTL_SECONDS = 60;

export function createKvResponseStore(kv: KvNamespace): ResponseStore {
  return {
    get: (id) => kv.get(`${PREFIX}${id}`, 'text'),
    async put(id, value, ttlSeconds) {
      await kv.put(`${PREFIX}${id}`, value, { expirationTtl: Math.max(KV_MIN_EXPIRATION_TTL_SECONDS, ttlSeconds) });
    },
    async delete(id) {
      const existed = (await kv.get(`${PREFIX}${id}`, 'text')) !== null;
      if (existed) await kv.delete(`${PREFIX}${id}`);
      return existed;
    },
  };
}
