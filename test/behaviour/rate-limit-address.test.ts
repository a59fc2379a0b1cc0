import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClockTarget } from '#target';
import type { Target } from '../support/target.ts';

// What the per-address rate limit counts as one client. An IPv6 subscriber is handed a whole /64
// and can use any address in it, so counting per address would give one client 2^64 buckets.
// The address comes from X-Forwarded-For (TRUST_PROXY=1) on both runtimes here, so the test can
// choose it; the counters are the runtime's own (memory or Redis on Node, the Durable Object on
// Workers), under fresh prefixes so that runs never share a bucket.

let target: Target;
beforeAll(async () => {
  target = await startClockTarget(Date.now, { TRUST_PROXY: '1', RATE_LIMIT_MAX_REQUESTS: '2' });
});
afterAll(() => target.close());

const hextet = () => Math.floor(Math.random() * 0xffff).toString(16);
const from = (address: string) => target.fetch('/health', { headers: { 'x-forwarded-for': address } }).then(async (response) => {
  await response.body?.cancel();
  return response.status;
});

describe('the per-address rate limit', () => {
  it('counts an IPv6 client by its /64, however it spells the address', async () => {
    const network = `2001:db8:${hextet()}:${hextet()}`;
    expect(await from(`${network}::1`)).toBe(200);
    expect(await from(`${network}:ffff:ffff:ffff:fffe`)).toBe(200);
    expect(await from(`${network.toUpperCase()}:0:0:abcd:9`)).toBe(429);
    expect(await from(`[${network}::2]`)).toBe(429);
    // The next /64 is another client.
    const [a, b, c, d] = network.split(':');
    expect(await from(`${a}:${b}:${c}:${(parseInt(d!, 16) ^ 1).toString(16)}::1`)).toBe(200);
  });

  it('counts an IPv4 client by its address, written plain or IPv4-mapped', async () => {
    const address = `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    expect(await from(address)).toBe(200);
    expect(await from(`::ffff:${address}`)).toBe(200);
    expect(await from(address)).toBe(429);
    const [a, b, c, d] = address.split('.').map(Number);
    expect(await from(`${a}.${b}.${c}.${(d! + 1) % 256}`)).toBe(200);
  });
});
