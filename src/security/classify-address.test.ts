// Pure tests: nothing here opens a socket or resolves a name.
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { classifyAddress } from './classify-address.ts';
import type { AddressClass } from './upstream-policy.ts';

describe('classifyAddress', () => {
  const table: Array<[string, AddressClass | null]> = [
    // IPv4 public
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['198.17.255.255', 'public'],
    ['198.20.0.0', 'public'],
    ['223.255.255.255', 'public'],
    // IPv4 private / special
    ['0.0.0.0', 'private'],
    ['0.255.255.255', 'private'],
    ['10.0.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['127.0.0.1', 'private'],
    ['127.255.255.254', 'private'],
    ['169.254.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'private'],
    ['192.0.2.1', 'private'],
    ['192.88.99.1', 'private'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'private'],
    ['198.19.255.255', 'private'],
    ['198.51.100.7', 'private'],
    ['203.0.113.9', 'private'],
    ['224.0.0.1', 'private'],
    ['239.255.255.250', 'private'],
    ['240.0.0.1', 'private'],
    ['255.255.255.255', 'private'],
    // IPv4 metadata
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    // IPv4 forms any inet_aton / WHATWG parser accepts
    ['2130706433', 'private'],
    ['0x7f.1', 'private'],
    ['127.1', 'private'],
    ['0177.0.0.1', 'private'],
    ['0', 'private'],
    ['127.0.0.1.', 'private'],
    ['0xa9fea9fe', 'metadata'],
    // IPv6 public
    ['2606:4700::1', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['[2a00:1450:4001:80b::200e]', 'public'],
    // IPv6 private / special
    ['::', 'private'],
    ['::1', 'private'],
    ['[::1]', 'private'],
    ['0:0:0:0:0:0:0:1', 'private'],
    ['fe80::1', 'private'],
    ['fe80::1%eth0', 'private'],
    ['[fe80::1%25eth0]', 'private'],
    ['febf:ffff::1', 'private'],
    ['fec0::1', 'private'],
    ['fc00::1', 'private'],
    ['fdff:ffff::1', 'private'],
    ['ff02::1', 'private'],
    ['2001:db8::1', 'private'],
    ['100::1', 'private'],
    ['2001:2::1', 'private'],
    ['2001:10::1', 'private'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'private'], // Teredo
    ['3fff::1', 'private'],
    ['1::1', 'private'], // outside 2000::/3: unassigned, fail closed
    ['4000::1', 'private'],
    // IPv4-mapped: classify the embedded IPv4
    ['::ffff:127.0.0.1', 'private'],
    ['::ffff:7f00:1', 'private'],
    ['[::ffff:7f00:1]', 'private'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::ffff:808:808', 'public'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    // IPv4-compatible (deprecated): never public
    ['::127.0.0.1', 'private'],
    ['::7f00:1', 'private'],
    ['::8.8.8.8', 'private'],
    ['::169.254.169.254', 'metadata'],
    // NAT64
    ['64:ff9b::7f00:1', 'private'],
    ['64:ff9b::127.0.0.1', 'private'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['64:ff9b::100.100.100.200', 'metadata'],
    ['64:ff9b:1::8.8.8.8', 'private'], // local-use NAT64 is never public
    ['64:ff9b:1::169.254.169.254', 'metadata'],
    // 6to4
    ['2002:7f00:1::', 'private'],
    ['2002:a00:1::1', 'private'],
    ['2002:808:808::1', 'public'],
    ['2002:a9fe:a9fe::', 'metadata'],
    // IPv6 metadata
    ['fd00:ec2::254', 'metadata'],
    ['[fd00:ec2:0:0:0:0:0:254]', 'metadata'],
    // not IP literals
    ['localhost', null],
    ['api.openai.com', null],
    ['', null],
    ['1.2.3.4.5', null],
    ['256.0.0.1', null],
    ['08.0.0.1', null],
    ['1..1', null],
    [':::', null],
    ['1::2::3', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['1:2:3:4:5:6:7:8::', null],
    ['1:2:3:4:5:6:7', null],
    ['12345::1', null],
    ['::ffff:127.1', null], // embedded tail must be a strict dotted quad
    ['::ffff:1.2.3.4:1', null],
    ['fe80::1%', null],
    ['g::1', null],
  ];
  it.each(table)('%j → %j', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

// The policy reads IPv6 with ipaddr.js (after the URL parser has written it canonically): these
// are the readings it relies on.
describe('ipaddr.js reads IPv6 as the policy expects', () => {
  it.each([
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['1::', '00010000000000000000000000000000'],
    ['1:2:3:4:5:6:7::', '00010002000300040005000600070000'],
    ['::2:3:4:5:6:7:8', '00000002000300040005000600070008'],
    ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304'],
    ['::ffff:192.168.0.1', '00000000000000000000ffffc0a80001'],
    ['FE80::ABCD%eth0', 'fe80000000000000000000000000abcd'],
  ])('%j', (text, hex) => {
    const bytes = ipaddr.IPv6.parse(text).toByteArray();
    expect(bytes.map((b) => b.toString(16).padStart(2, '0')).join('')).toBe(hex);
  });
});

// Every spelling found where ipaddr.js alone and the WHATWG URL parser (what fetch and undici
// connect to) read a host differently, found by running both over the same list. The policy
// follows the URL parser: ipaddr.js only ever classifies the canonical form the URL parser wrote.
describe('spellings where ipaddr.js and the URL parser disagree: the URL parser decides', () => {
  const urlReading = (text: string) => {
    try {
      return new URL(`http://${text.includes(':') && !text.startsWith('[') ? `[${text}]` : text}/`).hostname;
    } catch {
      return 'invalid';
    }
  };
  const ipaddrReading = (text: string) => {
    try {
      return ipaddr.parse(text).toNormalizedString();
    } catch {
      return 'not an address';
    }
  };
  // [spelling, what the URL parser reads, what ipaddr.js alone reads, the class]
  const table: Array<[string, string, string, AddressClass | null]> = [
    // IPv4 with a trailing dot: an address to the URL parser, not to ipaddr.js
    ['127.0.0.1.', '127.0.0.1', 'not an address', 'private'],
    ['0xa9.0xfe.0xa9.0xfe.', '169.254.169.254', 'not an address', 'metadata'],
    ['0251.0376.0251.0376.', '169.254.169.254', 'not an address', 'metadata'],
    ['0xa9fea9fe.', '169.254.169.254', 'not an address', 'metadata'],
    // "0x" alone is 0 to the URL parser
    ['0x', '0.0.0.0', 'not an address', 'private'],
    ['0x.0x.0', '0.0.0.0', 'not an address', 'private'],
    // %-encoded, full-width and ideographic-full-stop spellings
    ['%31%32%37.0.0.1', '127.0.0.1', 'not an address', 'private'],
    ['169.254.169.254%2e', '169.254.169.254', 'not an address', 'metadata'],
    ['\uff11\uff16\uff19.254.169.254', '169.254.169.254', 'not an address', 'metadata'],
    ['169\u3002254\u3002169\u3002254', '169.254.169.254', 'not an address', 'metadata'],
    // an IPv4 tail inside IPv6: ipaddr.js reads IPv4 shorthand there (and 0177 as decimal 177!), the URL parser refuses it
    ['::ffff:0177.0.0.1', 'invalid', '0:0:0:0:0:ffff:b100:1', null],
    ['::ffff:0x7f.0.0.1', 'invalid', '0:0:0:0:0:ffff:7f00:1', null],
    ['::ffff:0xa9.0xfe.0xa9.0xfe', 'invalid', '0:0:0:0:0:ffff:a9fe:a9fe', null],
    // ::a.b.c.d is IPv4-compatible to the URL parser, IPv4-mapped to ipaddr.js: ::8.8.8.8 would pass as public
    ['::8.8.8.8', '[::808:808]', '0:0:0:0:0:ffff:808:808', 'private'],
    ['::127.0.0.1', '[::7f00:1]', '0:0:0:0:0:ffff:7f00:1', 'private'],
    ['::169.254.169.254', '[::a9fe:a9fe]', '0:0:0:0:0:ffff:a9fe:a9fe', 'metadata'],
    // zone ids: ipaddr.js keeps them, URLs cannot hold them; a resolved address may, and the zone does not change its class
    ['fe80::1%eth0', 'invalid', 'fe80:0:0:0:0:0:0:1%eth0', 'private'],
    ['::ffff:a9fe:a9fe%eth0', 'invalid', '0:0:0:0:0:ffff:a9fe:a9fe%eth0', 'metadata'],
    ['::1%lo', 'invalid', '0:0:0:0:0:0:0:1%lo', 'private'],
    // brackets: part of a URL's host, not of an address to ipaddr.js
    ['[::ffff:169.254.169.254]', '[::ffff:a9fe:a9fe]', 'not an address', 'metadata'],
    // two trailing dots: a name to the URL parser (only one dot is dropped), not an address
    ['127.0.0.1..', '127.0.0.1..', 'not an address', null],
    // a name that ends like an IPv4 address: refused by the URL parser
    ['example.0x7f', 'invalid', 'not an address', null],
    // where both agree (shown for contrast): shorthand, octal, hex, integer, leading zeros
    ['127.1', '127.0.0.1', '127.0.0.1', 'private'],
    ['0x7f.0x0.0x0.0x1', '127.0.0.1', '127.0.0.1', 'private'],
    ['169.254.43518', '169.254.169.254', '169.254.169.254', 'metadata'],
    ['00000127.0.0.1', '87.0.0.1', '87.0.0.1', 'public'],
    ['2852039166', '169.254.169.254', '169.254.169.254', 'metadata'],
  ];
  it.each(table)('%j: URL parser %j, ipaddr.js %j → %j', (spelling, url, alone, expected) => {
    expect(urlReading(spelling)).toBe(url);
    expect(ipaddrReading(spelling)).toBe(alone);
    expect(classifyAddress(spelling)).toBe(expected);
  });
});

// IPv6 forms that carry an IPv4 address, and ranges ipaddr.js names: each is classified by the
// address it carries, never better than its floor.
describe('IPv6 forms that embed an IPv4 address', () => {
  it.each([
    ['::ffff:0:169.254.169.254', 'metadata'], // IPv4-translated (RFC 6145)
    ['::ffff:0:8.8.8.8', 'private'],
    ['64:ff9b::169.254.169.254', 'metadata'], // NAT64 /96
    ['64:ff9b:1::a9fe:a9fe', 'metadata'], // local-use NAT64, /96 layout
    ['64:ff9b:1:a9fe:a9:fe00::', 'metadata'], // local-use NAT64, /48 layout (around the u octet)
    ['2002:a9fe:a9fe::1', 'metadata'], // 6to4
    ['2001:0:808:808::5601:5601', 'metadata'], // Teredo: the client 169.254.169.254, inverted
    ['2001:0:a9fe:a9fe::1', 'metadata'], // Teredo: the server
    ['2001:4:112::1', 'private'], // AS112 inside 2001::/23
    ['2620:4f:8000::1', 'private'], // AS112 anycast: a special-purpose range ipaddr.js names
    ['192.175.48.1', 'private'], // AS112 (IPv4)
    ['192.52.193.1', 'private'], // AMT relay anycast
  ] as const)('%j → %j', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});
