// SSRF policy for user-supplied upstream base URLs.
//
// Pure and Web-standard only (URL, Set, Uint8Array): this file runs on Node and on
// Cloudflare Workers, so it must never import node:* or touch process/Buffer.
//
// Two checks share one classification:
//   - checkUpstreamUrl: before any connection, on the URL the user typed (IP literals and
//     hostname rules);
//   - isAddressAllowed: at connect time, on every address DNS returned (DNS-rebinding
//     defence; used by the Node adapter's guarded lookup/connector).
//
// Failure reasons are deliberately coarse: what reaches a client must not help map the
// internal network (no "this resolved to 10.0.0.5", no "port closed" vs "blocked").

export interface UpstreamPolicy {
  /** ALLOW_PRIVATE_UPSTREAMS=true: loopback/private/link-local/etc. allowed (never cloud metadata). */
  allowPrivate: boolean;
  /** ALLOW_PRIVATE_UPSTREAMS as a comma list of host:port: only these private endpoints are allowed. Entries normalised lowercase, IPv6 in brackets, e.g. "127.0.0.1:11434", "[::1]:8000", "ollama.local:11434". */
  allowedEndpoints: ReadonlySet<string>;
}

export type AddressClass = 'public' | 'private' | 'metadata';

export type UrlCheck =
  | { ok: true; url: URL }
  | { ok: false; reason: 'invalid' | 'scheme' | 'credentials' | 'blocked' };

const ENV_NAME = 'ALLOW_PRIVATE_UPSTREAMS';

// ---------------------------------------------------------------------------------------
// Policy parsing
// ---------------------------------------------------------------------------------------

/** Parse the ALLOW_PRIVATE_UPSTREAMS value: undefined/''/'false' → deny; 'true' → allow all private; otherwise a comma list of host:port (throws Error with a message naming ALLOW_PRIVATE_UPSTREAMS on a malformed entry). */
export function parseUpstreamPolicy(value: string | undefined): UpstreamPolicy {
  const trimmed = (value ?? '').trim();
  const lowered = trimmed.toLowerCase();
  if (lowered === '' || lowered === 'false') {
    return { allowPrivate: false, allowedEndpoints: new Set() };
  }
  if (lowered === 'true') {
    return { allowPrivate: true, allowedEndpoints: new Set() };
  }

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

  // Let WHATWG URL normalise the host exactly as it will normalise the upstream URL later
  // (lowercase, IDNA, 127.1 → 127.0.0.1, IPv6 compression), so entries and URLs compare equal.
  let host: string;
  try {
    host = new URL(`http://${hostPart}/`).hostname;
  } catch {
    return fail('not a valid host');
  }
  host = stripTrailingDots(host);
  if (host === '') fail('missing host');

  if (hostClass(host) === 'metadata') fail('cloud metadata endpoints can never be allowed');
  return `${host}:${port}`;
}

function parsePort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

// ---------------------------------------------------------------------------------------
// Address classification
// ---------------------------------------------------------------------------------------

const RANK: Record<AddressClass, number> = { public: 0, private: 1, metadata: 2 };
const worst = (a: AddressClass, b: AddressClass): AddressClass => (RANK[a] >= RANK[b] ? a : b);

/** Classify a textual IP address (IPv4 dotted quad or IPv6, with or without brackets, with zone id). Returns null if it is not an IP literal. */
export function classifyAddress(address: string): AddressClass | null {
  let text = address.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (text.includes(':')) {
    const v6 = parseIPv6(text);
    return v6 === null ? null : classifyIPv6(v6);
  }
  const v4 = parseIPv4(text);
  return v4 === null ? null : classifyIPv4(v4);
}

/**
 * IPv4 parser following the WHATWG URL host parser (which is also what inet_aton accepts):
 * 1–4 parts, each decimal, 0x-hex or 0-octal, the last part filling the remaining bytes;
 * one trailing dot allowed. Anything some parser could read as an IPv4 address is therefore
 * classified, rather than slipping through as "not an IP". Returns the 32-bit value.
 */
export function parseIPv4(text: string): number | null {
  let parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts = parts.slice(0, -1);
  if (parts.length === 0 || parts.length > 4) return null;

  const numbers: number[] = [];
  for (const part of parts) {
    const n = parseIPv4Number(part);
    if (n === null) return null;
    numbers.push(n);
  }
  const last = numbers.pop() as number;
  for (const n of numbers) if (n > 255) return null;
  if (last >= 256 ** (4 - numbers.length)) return null;

  let value = last;
  numbers.forEach((n, i) => {
    value += n * 256 ** (3 - i);
  });
  return value;
}

function parseIPv4Number(part: string): number | null {
  let digits = part;
  let radix = 10;
  if (/^0[xX]/.test(digits)) {
    digits = digits.slice(2);
    radix = 16;
    if (digits === '') return 0; // WHATWG: "0x" alone is 0
    if (!/^[0-9a-fA-F]+$/.test(digits)) return null;
  } else if (digits.length > 1 && digits.startsWith('0')) {
    digits = digits.slice(1);
    radix = 8;
    if (!/^[0-7]+$/.test(digits)) return null;
  } else if (!/^[0-9]+$/.test(digits)) {
    return null;
  }
  const n = parseInt(digits, radix);
  // Anything above 2^32 cannot be a valid part; cap early so huge inputs stay exact-enough.
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

/**
 * RFC 4291 textual IPv6 parser → 16 bytes. Handles one `::`, an embedded dotted IPv4 tail
 * (strict dotted quad there, as in RFC 4291), and strips a zone id (`%eth0` or `%25eth0`).
 */
export function parseIPv6(input: string): Uint8Array | null {
  let text = input;
  const zone = text.indexOf('%');
  if (zone >= 0) {
    if (zone === text.length - 1) return null; // empty zone id
    text = text.slice(0, zone);
  }
  if (text === '') return null;

  const doubleColon = text.indexOf('::');
  if (doubleColon >= 0 && text.indexOf('::', doubleColon + 1) >= 0) return null;

  const parseSide = (side: string, allowV4Tail: boolean): number[] | null => {
    if (side === '') return [];
    const groups = side.split(':');
    const words: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i] as string;
      const isLast = i === groups.length - 1;
      if (isLast && allowV4Tail && group.includes('.')) {
        const v4 = parseStrictDottedQuad(group);
        if (v4 === null) return null;
        words.push(Math.floor(v4 / 0x10000), v4 % 0x10000);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
        words.push(parseInt(group, 16));
      }
    }
    return words;
  };

  let words: number[];
  if (doubleColon >= 0) {
    const head = parseSide(text.slice(0, doubleColon), false);
    const tail = parseSide(text.slice(doubleColon + 2), true);
    if (head === null || tail === null) return null;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null; // "::" must stand for at least one group
    words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    const all = parseSide(text, true);
    if (all === null || all.length !== 8) return null;
    words = all;
  }

  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[i * 2] = w >> 8;
    bytes[i * 2 + 1] = w & 0xff;
  });
  return bytes;
}

function parseStrictDottedQuad(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

// IPv4 ranges as [network, prefix length]; values are unsigned 32-bit numbers.
const ip4 = (a: number, b: number, c: number, d: number): number => ((a * 256 + b) * 256 + c) * 256 + d;

const IPV4_METADATA: readonly number[] = [
  ip4(169, 254, 169, 254), // AWS / GCP / Azure / OCI / DigitalOcean instance metadata
  ip4(169, 254, 170, 2), // AWS ECS task metadata / credentials
  ip4(169, 254, 170, 23), // AWS EKS Pod Identity agent
  ip4(100, 100, 100, 200), // Alibaba Cloud metadata
  ip4(168, 63, 129, 16), // Azure WireServer (host agent; reachable from every VM)
];

const IPV4_PRIVATE: ReadonlyArray<readonly [number, number]> = [
  [ip4(0, 0, 0, 0), 8], // "this network"
  [ip4(10, 0, 0, 0), 8], // RFC 1918
  [ip4(100, 64, 0, 0), 10], // shared address space (CGNAT)
  [ip4(127, 0, 0, 0), 8], // loopback
  [ip4(169, 254, 0, 0), 16], // link-local
  [ip4(172, 16, 0, 0), 12], // RFC 1918
  [ip4(192, 0, 0, 0), 24], // IETF protocol assignments
  [ip4(192, 0, 2, 0), 24], // TEST-NET-1
  [ip4(192, 88, 99, 0), 24], // 6to4 relay anycast (deprecated)
  [ip4(192, 168, 0, 0), 16], // RFC 1918
  [ip4(198, 18, 0, 0), 15], // benchmarking
  [ip4(198, 51, 100, 0), 24], // TEST-NET-2
  [ip4(203, 0, 113, 0), 24], // TEST-NET-3
  [ip4(224, 0, 0, 0), 4], // multicast
  [ip4(240, 0, 0, 0), 4], // reserved, includes 255.255.255.255 broadcast
];

function inIPv4Range(value: number, network: number, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(value / size) === Math.floor(network / size);
}

function classifyIPv4(value: number): AddressClass {
  if (IPV4_METADATA.includes(value)) return 'metadata';
  for (const [network, prefix] of IPV4_PRIVATE) {
    if (inIPv4Range(value, network, prefix)) return 'private';
  }
  return 'public';
}

/** Parse an IPv6 prefix like "fe80::" once, at module load. */
function v6(text: string): Uint8Array {
  const bytes = parseIPv6(text);
  if (bytes === null) throw new Error(`bad IPv6 constant ${text}`);
  return bytes;
}

function inIPv6Range(bytes: Uint8Array, network: Uint8Array, prefix: number): boolean {
  const fullBytes = Math.floor(prefix / 8);
  for (let i = 0; i < fullBytes; i++) if (bytes[i] !== network[i]) return false;
  const rest = prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[fullBytes] as number) & mask) === ((network[fullBytes] as number) & mask);
}

const v4At = (bytes: Uint8Array, offset: number): number =>
  (((bytes[offset] as number) * 256 + (bytes[offset + 1] as number)) * 256 + (bytes[offset + 2] as number)) * 256 +
  (bytes[offset + 3] as number);

const IPV6_METADATA: readonly Uint8Array[] = [
  v6('fd00:ec2::254'), // AWS instance metadata (IPv6)
  v6('fd00:ec2::23'), // AWS EKS Pod Identity agent (IPv6)
  v6('fd20:ce::254'), // GCP metadata (IPv6)
];

const IPV6_PRIVATE: ReadonlyArray<readonly [Uint8Array, number]> = [
  [v6('100::'), 64], // discard-only
  [v6('2001::'), 23], // IETF protocol assignments: Teredo 2001::/32, 2001:2::/48, ORCHID 2001:10::/28, ...
  [v6('2001:db8::'), 32], // documentation
  [v6('3fff::'), 20], // documentation (RFC 9637)
  [v6('5f00::'), 16], // SRv6 SIDs (RFC 9602)
  [v6('fc00::'), 7], // unique local
  [v6('fe80::'), 10], // link-local
  [v6('fec0::'), 10], // site-local (deprecated)
  [v6('ff00::'), 8], // multicast
];

const V6_MAPPED = v6('::ffff:0:0'); // ::ffff:0:0/96
const V6_COMPAT = v6('::'); // ::/96 (IPv4-compatible, deprecated; also :: and ::1)
const V6_NAT64 = v6('64:ff9b::'); // 64:ff9b::/96 well-known NAT64
const V6_NAT64_LOCAL = v6('64:ff9b:1::'); // 64:ff9b:1::/48 local-use NAT64 (RFC 8215)
const V6_6TO4 = v6('2002::'); // 2002::/16
const V6_TEREDO = v6('2001::'); // 2001::/32
const V6_GLOBAL_UNICAST = v6('2000::'); // 2000::/3

function classifyIPv6(bytes: Uint8Array): AddressClass {
  for (const meta of IPV6_METADATA) if (inIPv6Range(bytes, meta, 128)) return 'metadata';

  // Forms that embed an IPv4 address: the result is never better than the embedded address.
  if (inIPv6Range(bytes, V6_MAPPED, 96)) return classifyIPv4(v4At(bytes, 12));
  if (inIPv6Range(bytes, V6_COMPAT, 96)) return worst('private', classifyIPv4(v4At(bytes, 12)));
  if (inIPv6Range(bytes, V6_NAT64, 96)) return classifyIPv4(v4At(bytes, 12));
  if (inIPv6Range(bytes, V6_NAT64_LOCAL, 48)) {
    // Local-use prefix: the IPv4 position depends on the operator's prefix length; check
    // the /96 and the /48 (bits 48–63 and 72–87, around the RFC 6052 "u" octet) layouts.
    const at48 = (((bytes[6] as number) * 256 + (bytes[7] as number)) * 256 + (bytes[9] as number)) * 256 +
      (bytes[10] as number);
    return worst('private', worst(classifyIPv4(v4At(bytes, 12)), classifyIPv4(at48)));
  }
  if (inIPv6Range(bytes, V6_6TO4, 16)) return classifyIPv4(v4At(bytes, 2));
  if (inIPv6Range(bytes, V6_TEREDO, 32)) {
    // Teredo: server IPv4 in bits 32–63, client IPv4 obfuscated (inverted) in the last 32.
    const client = 0xffffffff - v4At(bytes, 12);
    return worst('private', worst(classifyIPv4(v4At(bytes, 4)), classifyIPv4(client)));
  }

  for (const [network, prefix] of IPV6_PRIVATE) {
    if (inIPv6Range(bytes, network, prefix)) return 'private';
  }
  // Only 2000::/3 is allocated global unicast; everything else (unassigned space) is not a
  // legitimate upstream, so fail closed.
  return inIPv6Range(bytes, V6_GLOBAL_UNICAST, 3) ? 'public' : 'private';
}

// ---------------------------------------------------------------------------------------
// Hostname classification
// ---------------------------------------------------------------------------------------

const METADATA_HOSTNAMES: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Suffixes that only ever resolve inside a private network (or to the host itself). */
const PRIVATE_SUFFIXES: readonly string[] = [
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

function stripTrailingDots(host: string): string {
  let end = host.length;
  while (end > 0 && host[end - 1] === '.') end--;
  return host.slice(0, end);
}

function isIPv6Literal(host: string): boolean {
  return host.startsWith('[') || host.includes(':');
}

/** Normalise a host for comparison: lowercase, no trailing dot, IPv6 in brackets. */
function normaliseHost(host: string): string {
  let h = stripTrailingDots(host.trim().toLowerCase());
  if (!h.startsWith('[') && h.includes(':')) h = `[${h}]`;
  return h;
}

/** Class of a host as written in a URL (IP literal or DNS name), before any resolution. */
function hostClass(host: string): AddressClass {
  const h = normaliseHost(host);
  if (h === '') return 'private';
  if (isIPv6Literal(h)) return classifyAddress(h) ?? 'private'; // unparsable IPv6: fail closed
  const asIPv4 = classifyAddress(h);
  if (asIPv4 !== null) return asIPv4;

  if (METADATA_HOSTNAMES.has(h)) return 'metadata';
  if (!h.includes('.')) return 'private'; // single label: resolved through search domains
  for (const suffix of PRIVATE_SUFFIXES) {
    if (h === suffix || h.endsWith(`.${suffix}`)) return 'private';
  }
  return 'public';
}

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------

/** Parse "host:port", "[v6]:port", "host" or "[v6]" into a normalised host and optional port. */
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
  if (colons === 0) return { host: normaliseHost(text), port: null };
  if (colons > 1) return { host: normaliseHost(text), port: null }; // bare IPv6, no port
  const colon = text.indexOf(':');
  const port = parsePort(text.slice(colon + 1));
  return port === null ? null : { host: normaliseHost(text.slice(0, colon)), port };
}

/** Allow-list match; with no port known (connect-time lookup), any entry for the host matches. */
function isEndpointAllowListed(host: string, port: number | null, policy: UpstreamPolicy): boolean {
  if (port !== null) return policy.allowedEndpoints.has(`${host}:${port}`);
  for (const entry of policy.allowedEndpoints) {
    if (entry.slice(0, entry.lastIndexOf(':')) === host) return true;
  }
  return false;
}

function allowedFor(cls: AddressClass, host: string, port: number | null, policy: UpstreamPolicy): boolean {
  if (cls === 'metadata') return false;
  if (cls === 'public') return true;
  return policy.allowPrivate || isEndpointAllowListed(host, port, policy);
}

/** Check a base URL against the policy BEFORE any connection: parse with WHATWG URL (which already normalises 2130706433, 0x7f.1, 127.1, http://0/ to dotted quads — rely on that, then classify), http/https only, no username/password, hostname checks. */
export function checkUpstreamUrl(raw: string, policy: UpstreamPolicy): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'scheme' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials' };

  const host = normaliseHost(url.hostname);
  if (host === '') return { ok: false, reason: 'invalid' };
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);

  return allowedFor(hostClass(host), host, port, policy) ? { ok: true, url } : { ok: false, reason: 'blocked' };
}

/**
 * For resolved addresses at connect time (Node's DNS lookup): is this address allowed for
 * this host:port under the policy? `endpoint` is the host the caller asked for (as in the
 * URL) plus the port; if the port is unknown, pass the host alone and any allow-list entry
 * for that host matches (the URL-level check has already enforced the port).
 * Fails closed: a non-IP address or an unparsable endpoint is refused, and so is a host
 * whose own name is blocked (e.g. a metadata hostname), whatever it resolved to.
 */
export function isAddressAllowed(address: string, endpoint: string, policy: UpstreamPolicy): boolean {
  const cls = classifyAddress(address);
  if (cls === null) return false;
  const target = splitEndpoint(endpoint);
  if (target === null || target.host === '') return false;
  if (!allowedFor(hostClass(target.host), target.host, target.port, policy)) return false;
  return allowedFor(cls, target.host, target.port, policy);
}

/**
 * The name-only half of isAddressAllowed, usable before resolving: false for a metadata
 * hostname, and for a private name or IP literal the policy does not allow. Same `endpoint`
 * format ("host:port", "[v6]:port", or the host alone when the port is unknown).
 */
export function isEndpointAllowed(endpoint: string, policy: UpstreamPolicy): boolean {
  const target = splitEndpoint(endpoint);
  if (target === null || target.host === '') return false;
  return allowedFor(hostClass(target.host), target.host, target.port, policy);
}
