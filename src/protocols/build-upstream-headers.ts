import { ProviderMisconfiguredError } from '../errors/api-error.ts';
import { isForbiddenHeaderName, isHeaderName, isHeaderValue } from '../providers/custom-header-rules.ts';
import type { StoredProvider } from '../storage/provider-store.ts';

// A provider's customHeaders, lower-cased and checked once per stored record (the JSON store
// hands out the same object until it changes), so the hot path only adds its own headers on top.
// The save-time rules are checked again because a stored record can be edited by hand or come
// from an older version: a header the proxy owns is dropped, as it always was; one that HTTP
// cannot carry fails the call here, before any connection, on every runtime (undici would throw
// and the failure would look like an unreachable provider; fetch on Workers would throw too).

type CheckedHeaders = { headers: Record<string, string> } | { unsendable: { name: string; part: 'name' | 'value' } };

const cache = new WeakMap<StoredProvider, CheckedHeaders>();

export function buildUpstreamHeaders(provider: StoredProvider, own: Record<string, string>): Record<string, string> {
  let checked = cache.get(provider);
  if (!checked) {
    checked = checkCustomHeaders(provider.customHeaders);
    cache.set(provider, checked);
  }
  if ('unsendable' in checked) {
    const { name, part } = checked.unsendable;
    // The header's name only: a value may be a secret (a second key, a token).
    throw new ProviderMisconfiguredError(
      `The provider's custom header ${JSON.stringify(name)} has ${part === 'name' ? 'a name' : 'a value'} that HTTP does not allow, so nothing was sent; correct its customHeaders with PUT /api/v1/providers/${provider.id}`,
      { providerId: provider.id, header: name },
    );
  }
  // The proxy's own headers (the key above all) are applied last and always win.
  return { ...checked.headers, ...own };
}

function checkCustomHeaders(customHeaders: Record<string, string>): CheckedHeaders {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(customHeaders)) {
    if (isForbiddenHeaderName(name)) continue;
    if (!isHeaderName(name)) return { unsendable: { name, part: 'name' } };
    if (!isHeaderValue(value)) return { unsendable: { name, part: 'value' } };
    headers[name.toLowerCase()] = value;
  }
  return { headers };
}
