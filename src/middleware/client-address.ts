import type { Context } from 'hono';

// The address a client is rate-limited by. Each runtime supplies the peer it can see (the socket
// on Node, CF-Connecting-IP on Workers). X-Forwarded-For is believed only for the number of proxy
// hops the operator declared in TRUST_PROXY, counted from the right, because everything to the
// left of the last trusted hop was written by the client itself.

export type PeerAddress = (c: Context) => string | undefined;

export function resolveClientAddress(c: Context, peer: PeerAddress, trustedHops: number): string {
  const direct = peer(c) ?? 'unknown';
  if (trustedHops === 0) return direct;
  const forwarded = c.req.header('x-forwarded-for');
  if (!forwarded) return direct;
  const hops = forwarded.split(',').map((hop) => hop.trim()).filter((hop) => hop.length > 0);
  return hops[hops.length - trustedHops] ?? hops[0] ?? direct;
}
