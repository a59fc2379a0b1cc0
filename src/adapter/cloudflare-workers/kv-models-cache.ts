import * as z from 'zod';
import type { CachedModels, ModelsCache } from '../../storage/models-cache.ts';
import type { KvNamespace } from './worker-bindings.ts';

// Model lists cached in KV under `models:<providerId>`. KV cannot expire a key sooner than 60 s,
// so the entry carries its own expiry and a read past it is a miss; KV's own expiry
// (max(60 s, ttl)) only cleans up. A provider change deletes the entry here, but other locations
// may serve their cached copy for up to 60 s (KV's read cache).

const MODELS_KEY_PREFIX = 'models:';
const KV_MIN_EXPIRATION_TTL_SECONDS = 60;

const entrySchema = z.object({
  expiresAt: z.number(),
  value: z.object({
    data: z.array(z.looseObject({ id: z.string() })),
    fetchedAt: z.string(),
  }),
});

export function createKvModelsCache(kv: KvNamespace, now: () => number = Date.now): ModelsCache {
  const keyFor = (providerId: string) => `${MODELS_KEY_PREFIX}${providerId}`;
  return {
    async get(providerId) {
      const text = await kv.get(keyFor(providerId), 'text');
      if (text === null) return null;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return null;
      }
      // A value this code did not write, or wrote in another shape, is simply a miss.
      const entry = entrySchema.safeParse(json);
      if (!entry.success || entry.data.expiresAt <= now()) return null;
      return entry.data.value;
    },
    async set(providerId, value: CachedModels, ttlMs) {
      if (ttlMs <= 0) return;
      await kv.put(keyFor(providerId), JSON.stringify({ expiresAt: now() + ttlMs, value }), {
        expirationTtl: Math.max(KV_MIN_EXPIRATION_TTL_SECONDS, Math.ceil(ttlMs / 1000)),
      });
    },
    async delete(providerId) {
      await kv.delete(keyFor(providerId));
    },
  };
}
