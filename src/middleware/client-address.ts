import type { Context } from 'hono';
import { parseIPv6 } from '../security/upstream-policy.ts';

// The address a client is rate-limited by. Each runtime supplies the peer it can see (the socket
// on Node, CF-Connecting-IP on Workers). X-Forwarded-For is believed only for the number of proxy
// hops the operator declared in TRUST_PROXY, counted from the right, because everything to the
// left of the last trusted hop was written by the client itself.
//
// An IPv6 client is counted by its /64: a subscriber is handed a whole /64 and can send from any
// address in it, so per address it would have 2^64 buckets. An IPv4-mapped IPv6 address (a
// dual-stack socket's view of an IPv4 client) counts as that IPv4 address.

export type PeerAddress = (c: Context) => string | undefined;

export function resolveClientAddress(c: Context, peer: PeerAddress, trustedHops: number): string {
  const direct = peer(c) ?? 'unknown';
  if (trustedHops === 0) return bucketOf(direct);
  const forwarded = c.req.header('x-forwarded-for');
  if (!forwarded) return bucketOf(direct);
  const hops = forwarded.split(',').map((hop) => hop.trim()).filter((hop) => hop.length > 0);
  return bucketOf(hops[hops.length - trustedHops] ?? hops[0] ?? direct);
}

function bucketOf(address: string): string {
  if (!address.includes(':')) return address;
  const bytes = parseIPv6(address.replace(/^\[(.*)\]$/, '$1'));
  if (bytes === null) return address;
  const mapped = bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.subarray(12).join('.');
  const word = (index: number) => ((bytes[index]! << 8) | bytes[index + 1]!).toString(16);
  return `${word(0)}:${word(2)}:${word(4)}:${word(6)}::/64`;
}
