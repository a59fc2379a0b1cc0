// Per-provider model lists, cached with a TTL. In memory on Node; on Workers backed by KV.

export interface CachedModels {
  data: Array<Record<string, unknown> & { id: string }>;
  fetchedAt: string;
}

export interface ModelsCache {
  get(providerId: string): Promise<CachedModels | null>;
  set(providerId: string, value: CachedModels, ttlMs: number): Promise<void>;
  delete(providerId: string): Promise<void>;
}

export function createMemoryModelsCache(now: () => number = Date.now): ModelsCache {
  const entries = new Map<string, { value: CachedModels; expiresAt: number }>();
  return {
    async get(providerId) {
      const entry = entries.get(providerId);
      if (!entry) return null;
      if (entry.expiresAt <= now()) {
        entries.delete(providerId);
        return null;
      }
      return entry.value;
    },
    async set(providerId, value, ttlMs) {
      if (ttlMs <= 0) return;
      entries.set(providerId, { value, expiresAt: now() + ttlMs });
    },
    async delete(providerId) {
      entries.delete(providerId);
    },
  };
}
