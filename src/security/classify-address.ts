import ipaddr from 'ipaddr.js';
import { worstOf, type AddressClass } from './upstream-policy.ts';

// What an IP literal is to the outbound policy: public, private (loopback, private networks,
// link-local and every other special-purpose range) or cloud metadata.
//
// Two parsers, each for what it is good at. The WHATWG URL parser reads the literal, because it
// is what fetch and undici read when they connect: it alone decides that `0x7f.1`, `127.1.`,
// `%31%32%37.0.0.1` or `１２７.0.0.1` is 127.0.0.1, and that `::127.0.0.1` is the IPv4-compatible
// ::7f00:1 (ipaddr.js reads that one as IPv4-mapped, and `::ffff:0177.0.0.1` as 177.0.0.1, where
// the URL parser refuses it). ipaddr.js then classifies the canonical form the URL parser wrote,
// which both read alike. The spellings where they disagree are tested in classify-address.test.ts.

/** The IPv4 addresses of cloud instance metadata services; private ranges are allowed by ALLOW_PRIVATE_UPSTREAMS, these never. */
const metadataAddresses = [
  '169.254.169.254', // AWS / GCP / Azure / OCI / DigitalOcean instance metadata
  '169.254.170.2', // AWS ECS task metadata / credentials
  '169.254.170.23', // AWS EKS Pod Identity agent
  '100.100.100.200', // Alibaba Cloud metadata
  '168.63.129.16', // Azure WireServer (host agent; reachable from every VM)
  'fd00:ec2::254', // AWS instance metadata (IPv6)
  'fd00:ec2::23', // AWS EKS Pod Identity agent (IPv6)
  'fd20:ce::254', // GCP metadata (IPv6)
].map((address) => ipaddr.parse(address).toNormalizedString());

const cidr = (text: string) => ipaddr.IPv6.parseCIDR(text);
const globalUnicast = cidr('2000::/3');

type IPv4Reader = (bytes: number[]) => number[];
const at = (offset: number): IPv4Reader => (bytes) => bytes.slice(offset, offset + 4);

/**
 * IPv6 forms that carry an IPv4 address a translator or a tunnel may deliver to: never better than
 * that address, nor than `floor`. Checked in order, before ipaddr.js's named ranges.
 */
const embeddings: ReadonlyArray<{ range: [ipaddr.IPv6, number]; floor: AddressClass; read: IPv4Reader[] }> = [
  { range: cidr('::ffff:0:0/96'), floor: 'public', read: [at(12)] }, // IPv4-mapped: the IPv4 address itself
  { range: cidr('::/96'), floor: 'private', read: [at(12)] }, // IPv4-compatible (deprecated); also :: and ::1
  { range: cidr('::ffff:0:0:0/96'), floor: 'private', read: [at(12)] }, // IPv4-translated (RFC 6145)
  { range: cidr('64:ff9b::/96'), floor: 'public', read: [at(12)] }, // well-known NAT64 prefix (RFC 6052)
  // Local-use NAT64 (RFC 8215): where the IPv4 address sits depends on the operator's prefix
  // length; both the /96 layout and the /48 one (bits 48-63 and 72-87, around RFC 6052's "u" octet).
  { range: cidr('64:ff9b:1::/48'), floor: 'private', read: [at(12), (bytes) => [...bytes.slice(6, 8), ...bytes.slice(9, 11)]] },
  { range: cidr('2002::/16'), floor: 'public', read: [at(2)] }, // 6to4
  // Teredo: the server's IPv4 address in bits 32-63, the client's inverted in the last 32.
  { range: cidr('2001::/32'), floor: 'private', read: [at(4), (bytes) => bytes.slice(12, 16).map((byte) => 255 - byte)] },
];

/** Classify a textual IP address (IPv4 in any spelling the URL parser accepts, IPv6 with or without brackets or a zone id). Null when the URL parser does not read it as an IP address. */
export function classifyAddress(address: string): AddressClass | null {
  const parsed = readIpLiteral(address);
  return parsed === null ? null : classifyParsed(parsed);
}

function readIpLiteral(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  let text = address.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  let literal: string;
  if (text.includes(':')) {
    // A resolved link-local address may carry a zone id (fe80::1%eth0); a URL cannot. The zone
    // does not change what the address is.
    const zone = text.indexOf('%');
    if (zone === text.length - 1) return null;
    if (zone >= 0) text = text.slice(0, zone);
    // Only what an IPv6 literal is made of, so nothing in the text can change what the URL parser reads.
    if (!/^[0-9a-f:.]+$/i.test(text)) return null;
    literal = `[${text}]`;
  } else {
    // Anything but what would change the URL's structure around the host: the URL parser itself
    // decides whether %-encoded, full-width or dotted-ideographic digits make an IPv4 address.
    if (text === '' || /[\s/\\?#@[\]]/.test(text)) return null;
    literal = text;
  }
  let hostname: string;
  try {
    hostname = new URL(`http://${literal}/`).hostname;
  } catch {
    return null;
  }
  if (hostname.startsWith('[')) return ipaddr.IPv6.parse(hostname.slice(1, -1));
  // A name made of hex digits ("deadbeef.cafe") comes back as it went in: not an address.
  return ipaddr.IPv4.isValidFourPartDecimal(hostname) ? ipaddr.IPv4.parse(hostname) : null;
}

function classifyParsed(address: ipaddr.IPv4 | ipaddr.IPv6): AddressClass {
  if (metadataAddresses.includes(address.toNormalizedString())) return 'metadata';
  if (address.kind() === 'ipv4') return address.range() === 'unicast' ? 'public' : 'private';
  const v6 = address as ipaddr.IPv6;
  const bytes = v6.toByteArray();
  for (const { range, floor, read } of embeddings) {
    if (v6.match(range)) return read.reduce((worst, reader) => worstOf(worst, classifyParsed(new ipaddr.IPv4(reader(bytes)))), floor);
  }
  // Every range ipaddr.js names (link-local, unique local, documentation, ORCHID, SRv6...) is
  // private, and so is everything outside 2000::/3, the only space allocated for global unicast.
  return v6.range() === 'unicast' && v6.match(globalUnicast) ? 'public' : 'private';
}
