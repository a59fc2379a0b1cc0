import type { Context } from 'hono';
import ipaddr from 'ipaddr.js';

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
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (!bare.includes(':') || !ipaddr.IPv6.isValid(bare)) return address;
  const parsed = ipaddr.IPv6.parse(bare);
  if (parsed.isIPv4MappedAddress()) return parsed.toIPv4Address().toString();
  return `${parsed.parts.slice(0, 4).map((part) => part.toString(16)).join(':')}::/64`;
}
