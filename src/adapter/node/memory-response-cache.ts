import { LRUCache } from 'lru-cache';
import type { ResponseCache } from '../../storage/response-cache.ts';

// The response cache in this process's memory, bounded by RESPONSE_CACHE_MAX_BYTES: lru-cache
// evicts the least recently used answers first once the bound is reached, and drops expired ones.
// Sizes count UTF-16 code units of key and value, close to what V8 holds for them.

export function createMemoryResponseCache(maxBytes: number): ResponseCache & { readonly size: number; readonly calculatedSize: number } {
  const entries = new LRUCache<string, string>({
    maxSize: maxBytes,
    sizeCalculation: (value, key) => value.length + key.length,
    // An answer larger than the whole bound is simply not cached.
    maxEntrySize: maxBytes,
  });
  return {
    get size() {
      return entries.size;
    },
    get calculatedSize() {
      return entries.calculatedSize;
    },
    async get(key) {
      return entries.get(key) ?? null;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, value, { ttl: ttlSeconds * 1000 });
    },
  };
}
