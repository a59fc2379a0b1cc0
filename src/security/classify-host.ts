import { classifyAddress } from './classify-address.ts';
import type { AddressClass } from './upstream-policy.ts';

// What a host, as written in a URL or handed to a connect-time lookup, is to the outbound policy
// before anything is resolved: an IP literal is what it is; a name is cloud metadata, private (it
// only ever resolves inside a private network or to the host itself) or public.

const metadataNames: ReadonlySet<string> = new Set(['metadata.google.internal', 'metadata', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

const privateSuffixes: readonly string[] = [
  'localhost', // RFC 6761
  'local', // mDNS (RFC 6762)
  'internal', // ICANN-reserved private TLD
  'home.arpa', // RFC 8375
  'localdomain',
  'lan',
  'home',
  'corp',
  'intranet',
  'private',
];

/** For comparison with the allow-list and the rules below: lowercase, no trailing dot, IPv6 in brackets. */
export function normaliseHost(host: string): string {
  const lowered = host.trim().toLowerCase().replace(/\.+$/, '');
  return !lowered.startsWith('[') && lowered.includes(':') ? `[${lowered}]` : lowered;
}

/** Class of a host (IP literal or DNS name), normalised by normaliseHost or not. */
export function classifyHost(host: string): AddressClass {
  const normalised = normaliseHost(host);
  if (normalised === '') return 'private';
  const asAddress = classifyAddress(normalised);
  if (asAddress !== null) return asAddress;
  // An IPv6 literal that does not parse: fail closed.
  if (normalised.startsWith('[')) return 'private';
  // A host the URL parser refuses (`example.0x7f`, which ends like an IPv4 address) is not one
  // fetch could connect to: fail closed.
  if (!isUrlHost(normalised)) return 'private';
  if (metadataNames.has(normalised)) return 'metadata';
  // A single label is resolved through the search domains: whatever the local network calls it.
  if (!normalised.includes('.')) return 'private';
  return privateSuffixes.some((suffix) => normalised === suffix || normalised.endsWith(`.${suffix}`)) ? 'private' : 'public';
}

function isUrlHost(host: string): boolean {
  if (/[\s/\\?#@]/.test(host)) return false;
  try {
    new URL(`http://${host}/`);
    return true;
  } catch {
    return false;
  }
}
