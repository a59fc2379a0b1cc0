import { classifyHost } from './classify-host.ts';
import type { UpstreamPolicy } from './upstream-policy.ts';

// ALLOW_PRIVATE_UPSTREAMS, read once by the config schema (src/config/config-schema.ts).

const ENV_NAME = 'ALLOW_PRIVATE_UPSTREAMS';

/** undefined, '' or 'false': deny; 'true': allow all private; otherwise a comma list of host:port (throws an Error naming ALLOW_PRIVATE_UPSTREAMS on a malformed entry). */
export function parseUpstreamPolicy(value: string | undefined): UpstreamPolicy {
  const trimmed = (value ?? '').trim();
  const lowered = trimmed.toLowerCase();
  if (lowered === '' || lowered === 'false') return { allowPrivate: false, allowedEndpoints: new Set() };
  if (lowered === 'true') return { allowPrivate: true, allowedEndpoints: new Set() };

  const endpoints = new Set<string>();
  for (const rawEntry of trimmed.split(',')) {
    const entry = rawEntry.trim();
    if (entry === '') continue; // tolerate "a:1, b:2," — a trailing comma is not an error
    endpoints.add(parseEndpointEntry(entry));
  }
  if (endpoints.size === 0) {
    throw new Error(`${ENV_NAME} must be "true", "false" or a comma-separated list of host:port entries`);
  }
  return { allowPrivate: false, allowedEndpoints: endpoints };
}

function parseEndpointEntry(entry: string): string {
  const fail = (why: string): never => {
    throw new Error(`${ENV_NAME}: invalid entry "${entry}" (${why}); expected host:port, e.g. 127.0.0.1:11434 or [::1]:8000`);
  };
  if (/[\s/\\?#@%]/.test(entry)) fail('only host:port is allowed, without scheme, path, credentials or zone id');

  let hostPart: string;
  let portPart: string;
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0) fail('unterminated IPv6 bracket');
    hostPart = entry.slice(0, close + 1);
    const rest = entry.slice(close + 1);
    if (!rest.startsWith(':')) fail('missing port');
    portPart = rest.slice(1);
  } else {
    const colon = entry.lastIndexOf(':');
    if (colon < 0) fail('missing port');
    hostPart = entry.slice(0, colon);
    portPart = entry.slice(colon + 1);
    if (hostPart.includes(':')) fail('IPv6 addresses must be in brackets');
  }
  if (hostPart === '' || hostPart === '[]') fail('missing host');
  const port = parsePort(portPart);
  if (port === null) fail('port must be an integer between 1 and 65535');

  // The URL parser normalises the host exactly as it will normalise the upstream URL later
  // (lowercase, IDNA, 127.1 → 127.0.0.1, IPv6 compression), so entries and URLs compare equal.
  let host: string;
  try {
    host = new URL(`http://${hostPart}/`).hostname.replace(/\.+$/, '');
  } catch {
    return fail('not a valid host');
  }
  if (host === '') fail('missing host');
  if (classifyHost(host) === 'metadata') fail('cloud metadata endpoints can never be allowed');
  return `${host}:${port}`;
}

/** A TCP port, 1 to 65535, in decimal digits only; null otherwise. */
export function parsePort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}
