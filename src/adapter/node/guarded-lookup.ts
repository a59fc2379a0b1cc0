// Node-only DNS-rebinding defence: the URL check (security/check-upstream-url.ts) runs on the
// name the user typed, but a public name can resolve to 127.0.0.1 when we actually connect.
// This checks every resolved address right before the socket is opened.
//
// Two ways to plug it into undici:
//
//   1. Preferred: `new Agent({ connect: createGuardedConnector(policy) })`.
//      The connector knows the port (exact host:port allow-list matching) and also checks
//      IP-literal hosts, which matters because Node's net.connect never calls `lookup` for
//      an IP literal.
//   2. `new Agent({ connect: { lookup: createGuardedLookup(policy)() } })`.
//      undici passes `connect` options straight to net.connect/tls.connect, which call
//      `lookup(hostname, { family, hints, all? }, callback)` — no port. Without a port the
//      allow-list matches on the host alone; the URL-level check has already enforced the port.
//      IP literals are NOT seen here; rely on checkUpstreamUrl for those.
//
// Errors are deliberately generic: no address, no hostname (they could end up in a client
// response or a shared log and help map the internal network).

import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { isAddressAllowed, isEndpointAllowed } from '../../security/check-resolved-address.ts';
import type { UpstreamPolicy } from '../../security/upstream-policy.ts';

export class UpstreamBlockedConnectError extends Error {
  readonly code = 'EUPSTREAMBLOCKED';
  constructor() {
    super('Upstream address is not allowed by the outbound policy');
    this.name = 'UpstreamBlockedConnectError';
  }
}

type LookupCallback = Parameters<LookupFunction>[2];
type LookupOptions = Parameters<LookupFunction>[1];

const defaultResolve: LookupFunction = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/** "host:port" as upstream-policy expects it (IPv6 in brackets); the host alone if no port. */
function endpointOf(hostname: string, port: number | undefined): string {
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return port === undefined ? host : `${host}:${port}`;
}

function toAddressList(address: string | dns.LookupAddress[] | undefined, family?: number): dns.LookupAddress[] {
  if (Array.isArray(address)) return address;
  if (typeof address !== 'string' || address === '') return [];
  return [{ address, family: family ?? (address.includes(':') ? 6 : 4) }];
}

/**
 * Wraps a dns.lookup-compatible function (default: node:dns lookup). Call the result with
 * the connection's port (or nothing if unknown) to get a LookupFunction that resolves and
 * then refuses, with UpstreamBlockedConnectError (code 'EUPSTREAMBLOCKED'), if ANY resolved
 * address is not allowed for that host:port. A hostname blocked by name (metadata names,
 * `localhost` without allowPrivate) is refused without being resolved at all.
 *
 * The underlying resolver is always asked for all addresses, so a name with one public and
 * one private record is refused even when the caller wanted a single address; with
 * `all: false` the first address is returned, as dns.lookup would.
 */
export function createGuardedLookup(
  policy: UpstreamPolicy,
  resolve: LookupFunction = defaultResolve,
): (port?: number) => LookupFunction {
  return (port) => (hostname, options, callback) => {
    const opts: LookupOptions =
      typeof options === 'number' ? { family: options } : typeof options === 'object' && options !== null ? options : {};
    const wantAll = opts.all === true;
    const refuse: LookupCallback = callback;
    const fail = (error: NodeJS.ErrnoException) => refuse(error, wantAll ? [] : '');

    const endpoint = endpointOf(hostname, port);
    if (!isEndpointAllowed(endpoint, policy)) {
      process.nextTick(fail, new UpstreamBlockedConnectError());
      return;
    }

    let settled = false;
    const onResolved: LookupCallback = (error, address, family) => {
      if (settled) return;
      settled = true;
      if (error) {
        fail(error);
        return;
      }
      const addresses = toAddressList(address, family);
      if (addresses.length === 0) {
        const notFound: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        notFound.code = 'ENOTFOUND';
        fail(notFound);
        return;
      }
      if (addresses.some((entry) => !isAddressAllowed(entry.address, endpoint, policy))) {
        fail(new UpstreamBlockedConnectError());
        return;
      }
      if (wantAll) {
        callback(null, addresses);
      } else {
        const first = addresses[0] as dns.LookupAddress;
        callback(null, first.address, first.family);
      }
    };

    try {
      resolve(hostname, { ...opts, all: true }, onResolved);
    } catch (error) {
      if (!settled) {
        settled = true;
        process.nextTick(fail, error as NodeJS.ErrnoException);
      }
    }
  };
}

export interface GuardedConnectorOptions {
  /** dns.lookup-compatible resolver (tests inject one; default node:dns lookup). */
  resolve?: LookupFunction;
  /** Passed to undici's buildConnector (timeout, keepAlive, TLS options...). `lookup` and `socketPath` are not allowed. */
  connect?: buildConnector.BuildOptions;
}

/**
 * An undici connector (`new Agent({ connect: createGuardedConnector(policy) })`) that applies
 * the policy to every connection with the exact host:port: IP-literal hosts are checked
 * directly (net.connect skips lookup for them), names go through the guarded lookup.
 * One underlying undici connector per port, so TLS session caching still works.
 */
export function createGuardedConnector(
  policy: UpstreamPolicy,
  options: GuardedConnectorOptions = {},
): buildConnector.connector {
  const connectOptions = (options.connect ?? {}) as buildConnector.BuildOptions & Record<string, unknown>;
  if (connectOptions.lookup !== undefined || (connectOptions.socketPath ?? null) !== null) {
    throw new Error('createGuardedConnector: connect.lookup and connect.socketPath would bypass the guard');
  }
  const lookupFor = createGuardedLookup(policy, options.resolve);
  const byPort = new Map<number, buildConnector.connector>();

  return (target, callback) => {
    const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
    const hostname = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;

    if (isIP(hostname) !== 0 && !isAddressAllowed(hostname, endpointOf(hostname, port), policy)) {
      queueMicrotask(() => callback(new UpstreamBlockedConnectError(), null));
      return;
    }

    let connector = byPort.get(port);
    if (connector === undefined) {
      // HTTP/1.1 unless asked (undici 8 offers h2 over TLS by default; see undici-upstream-client.ts).
      connector = buildConnector({ allowH2: false, ...connectOptions, lookup: lookupFor(port) } as buildConnector.BuildOptions);
      byPort.set(port, connector);
    }
    connector(target, callback);
  };
}
