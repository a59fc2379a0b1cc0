import { classifyAddress } from './classify-address.ts';
import { classifyHost, normaliseHost } from './classify-host.ts';
import { parsePort } from './parse-upstream-policy.ts';
import { isAllowedBy, type UpstreamPolicy } from './upstream-policy.ts';

// At connect time (Node's guarded lookup and connector, src/adapter/node/guarded-lookup.ts): every
// address DNS returned for a host, checked again, so a public name that resolves to 127.0.0.1
// (DNS rebinding) is refused. `endpoint` is the host the caller asked for plus its port:
// "host:port", "[v6]:port", or the host alone when the port is unknown (then any allow-list entry
// for the host matches; the URL check has already held the port to the list). Fails closed.

/** Parse "host:port", "[v6]:port", "host" or "[v6]" into a normalised host and an optional port. */
function splitEndpoint(endpoint: string): { host: string; port: number | null } | null {
  const text = endpoint.trim();
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    const host = normaliseHost(text.slice(0, close + 1));
    const rest = text.slice(close + 1);
    if (rest === '') return { host, port: null };
    if (!rest.startsWith(':')) return null;
    const port = parsePort(rest.slice(1));
    return port === null ? null : { host, port };
  }
  const colons = text.split(':').length - 1;
  // No colon, or a bare IPv6 address (no port).
  if (colons !== 1) return { host: normaliseHost(text), port: null };
  const colon = text.indexOf(':');
  const port = parsePort(text.slice(colon + 1));
  return port === null ? null : { host: normaliseHost(text.slice(0, colon)), port };
}

/**
 * The name-only half, usable before resolving: false for a metadata name, and for a private name
 * or IP literal the policy does not allow.
 */
export function isEndpointAllowed(endpoint: string, policy: UpstreamPolicy): boolean {
  const target = splitEndpoint(endpoint);
  if (target === null || target.host === '') return false;
  return isAllowedBy(policy, classifyHost(target.host), target.host, target.port);
}

/**
 * Is this resolved address allowed for this endpoint? A non-IP address or an unparsable endpoint
 * is refused, and so is a host whose own name is blocked, whatever it resolved to.
 */
export function isAddressAllowed(address: string, endpoint: string, policy: UpstreamPolicy): boolean {
  const addressClass = classifyAddress(address);
  if (addressClass === null || !isEndpointAllowed(endpoint, policy)) return false;
  const { host, port } = splitEndpoint(endpoint)!;
  return isAllowedBy(policy, addressClass, host, port);
}
