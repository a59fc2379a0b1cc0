import dns from 'node:dns';
import net from 'node:net';
import { afterAll, expect } from 'vitest';

// Loaded before every Node test file: any attempt to resolve a name other than localhost or to
// open a socket to an address outside 127.0.0.0/8 and ::1 is refused and recorded, and the file
// fails. SSRF tests must prove that refusals happen before any connection; this makes a
// regression fail loudly instead of sending a packet somewhere.

const violations: string[] = [];

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare) || /^::ffff:127\.\d+\.\d+\.\d+$/i.test(bare);
}

const originalLookup = dns.lookup;
(dns as { lookup: unknown }).lookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
  if (!isLoopback(hostname)) {
    violations.push(`dns.lookup(${hostname})`);
    const callback = rest.at(-1) as (error: Error) => void;
    const error = Object.assign(new Error(`test guard: DNS lookup of ${hostname} refused (loopback only)`), { code: 'ENOTFOUND' });
    process.nextTick(() => callback(error));
    return;
  }
  return (originalLookup as (...args: unknown[]) => unknown).call(dns, hostname, ...rest);
};

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  const options = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string; lookup?: net.LookupFunction } | number | string;
  const host = typeof options === 'object' && options !== null ? (options.path ? 'localhost' : (options.host ?? 'localhost')) : typeof args[1] === 'string' ? args[1] : 'localhost';
  if (!isLoopback(host) && typeof options === 'object' && options !== null && options.lookup) {
    // A test-injected resolver (the DNS-rebinding tests): let it answer, but only loopback
    // addresses may be dialled.
    const lookup = options.lookup;
    options.lookup = ((hostname: string, lookupOptions: dns.LookupOptions, callback: (...a: unknown[]) => void) =>
      lookup(hostname, lookupOptions, (error: unknown, address: unknown, family?: number) => {
        const addresses = Array.isArray(address) ? address.map((entry: dns.LookupAddress) => entry.address) : [address as string];
        const outside = addresses.filter((candidate) => typeof candidate === 'string' && !isLoopback(candidate));
        if (!error && outside.length > 0) {
          violations.push(`connect(${hostname} -> ${outside.join(',')})`);
          callback(new Error('test guard: non-loopback address refused'));
          return;
        }
        callback(error, address, family);
      })) as net.LookupFunction;
  } else if (!isLoopback(host)) {
    violations.push(`connect(${host})`);
    throw new Error(`test guard: connection to ${host} refused (loopback only)`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

afterAll(() => {
  expect(violations, 'non-loopback network access attempted').toEqual([]);
});
