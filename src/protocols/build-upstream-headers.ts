import { isForbiddenHeaderName } from '../providers/provider-schemas.ts';
import type { StoredProvider } from '../storage/provider-store.ts';

// A provider's customHeaders, lower-cased and filtered once per stored record (the JSON store
// hands out the same object until it changes), so the hot path only adds its own headers on top.
// The filter repeats the save-time rule because a stored file can be edited by hand.
const cache = new WeakMap<StoredProvider, Record<string, string>>();

export function buildUpstreamHeaders(provider: StoredProvider, own: Record<string, string>): Record<string, string> {
  let base = cache.get(provider);
  if (!base) {
    base = {};
    for (const [name, value] of Object.entries(provider.customHeaders)) {
      if (!isForbiddenHeaderName(name) && !/[\r\n\0]/.test(value)) base[name.toLowerCase()] = value;
    }
    cache.set(provider, base);
  }
  // The proxy's own headers (the key above all) are applied last and always win.
  return { ...base, ...own };
}
