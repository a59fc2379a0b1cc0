// Pure tests: nothing here opens a socket or resolves a name.
import { describe, expect, it } from 'vitest';
import {
  checkUpstreamUrl,
  classifyAddress,
  isAddressAllowed,
  parseIPv6,
  parseUpstreamPolicy,
  type AddressClass,
  type UpstreamPolicy,
} from './upstream-policy.js';

const DENY: UpstreamPolicy = parseUpstreamPolicy(undefined);
const ALLOW_PRIVATE: UpstreamPolicy = parseUpstreamPolicy('true');
const ALLOW_LIST: UpstreamPolicy = parseUpstreamPolicy('127.0.0.1:11434, [::1]:8000, Ollama.Local:11434');

describe('parseUpstreamPolicy', () => {
  it.each([undefined, '', '   ', 'false', 'FALSE', ' False '])('%j denies private upstreams', (value) => {
    const policy = parseUpstreamPolicy(value);
    expect(policy.allowPrivate).toBe(false);
    expect(policy.allowedEndpoints.size).toBe(0);
  });

  it.each(['true', 'TRUE', ' true '])('%j allows all private upstreams', (value) => {
    const policy = parseUpstreamPolicy(value);
    expect(policy.allowPrivate).toBe(true);
    expect(policy.allowedEndpoints.size).toBe(0);
  });

  it('parses and normalises a host:port list', () => {
    expect([...ALLOW_LIST.allowedEndpoints]).toEqual(['127.0.0.1:11434', '[::1]:8000', 'ollama.local:11434']);
    expect(ALLOW_LIST.allowPrivate).toBe(false);
  });

  it.each([
    ['127.1:11434', '127.0.0.1:11434'],
    ['[0:0:0:0:0:0:0:1]:8000', '[::1]:8000'],
    ['[::FFFF:127.0.0.1]:80', '[::ffff:7f00:1]:80'],
    ['LOCALHOST.:3000', 'localhost:3000'],
    ['a:1,,b:2,', 'a:1'],
  ])('normalises %j like WHATWG URL does', (value, first) => {
    expect([...parseUpstreamPolicy(value).allowedEndpoints][0]).toBe(first);
  });

  it.each([
    ['127.0.0.1'], // no port
    ['127.0.0.1:'], // empty port
    ['127.0.0.1:0'],
    ['127.0.0.1:65536'],
    ['127.0.0.1:abc'],
    ['::1:8000'], // IPv6 without brackets
    ['[::1'], // unterminated
    ['[::1]8000'],
    ['[::1]'],
    [':8000'],
    ['http://127.0.0.1:11434'],
    ['127.0.0.1:11434/v1'],
    ['user@127.0.0.1:11434'],
    ['[fe80::1%eth0]:80'],
    ['exa mple:80'],
    [','],
    ['169.254.169.254:80'], // metadata can never be allow-listed
    ['metadata.google.internal:80'],
    ['yes'],
    ['1'],
  ])('rejects malformed %j with an error naming the variable', (value) => {
    expect(() => parseUpstreamPolicy(value)).toThrow(/ALLOW_PRIVATE_UPSTREAMS/);
  });
});

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

describe('parseIPv6', () => {
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
    const bytes = parseIPv6(text);
    expect(bytes && [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')).toBe(hex);
  });
});

describe('checkUpstreamUrl', () => {
  type Row = [url: string, deny: string, allowPrivate: string, allowList: string];
  // 'ok' or the refusal reason, under DENY, ALLOW_PRIVATE and ALLOW_LIST respectively.
  const table: Row[] = [
    // public upstreams
    ['https://api.openai.com/v1', 'ok', 'ok', 'ok'],
    ['https://api.anthropic.com', 'ok', 'ok', 'ok'],
    ['https://api.z.ai/api/paas/v4', 'ok', 'ok', 'ok'],
    ['http://8.8.8.8/', 'ok', 'ok', 'ok'],
    ['http://[2606:4700::1]/', 'ok', 'ok', 'ok'],
    ['https://API.OpenAI.com./v1', 'ok', 'ok', 'ok'],
    // IPv4 loopback in every spelling WHATWG normalises
    ['http://2130706433/', 'blocked', 'ok', 'blocked'],
    ['http://0x7f.1/', 'blocked', 'ok', 'blocked'],
    ['http://127.1/', 'blocked', 'ok', 'blocked'],
    ['http://0177.0.0.1/', 'blocked', 'ok', 'blocked'],
    ['http://127.0.0.1./', 'blocked', 'ok', 'blocked'],
    ['http://%31%32%37.0.0.1/', 'blocked', 'ok', 'blocked'],
    ['http://127\u30020\u30020\u30021/', 'blocked', 'ok', 'blocked'], // ideographic full stops
    ['http://\uff11\uff12\uff17.0.0.1/', 'blocked', 'ok', 'blocked'], // fullwidth digits
    ['http://0/', 'blocked', 'ok', 'blocked'],
    ['http://0.0.0.0:11434/', 'blocked', 'ok', 'blocked'],
    ['http://10.0.0.1/', 'blocked', 'ok', 'blocked'],
    ['http://192.168.1.10:8080/', 'blocked', 'ok', 'blocked'],
    // IPv6 forms
    ['http://[::1]/', 'blocked', 'ok', 'blocked'],
    ['http://[::]/', 'blocked', 'ok', 'blocked'],
    ['http://[::ffff:127.0.0.1]/', 'blocked', 'ok', 'blocked'],
    ['http://[::ffff:7f00:1]/', 'blocked', 'ok', 'blocked'],
    ['http://[64:ff9b::7f00:1]/', 'blocked', 'ok', 'blocked'],
    ['http://[2002:7f00:1::]/', 'blocked', 'ok', 'blocked'],
    ['http://[fe80::1]/', 'blocked', 'ok', 'blocked'],
    ['http://[fe80::1%25eth0]/', 'invalid', 'invalid', 'invalid'], // WHATWG rejects zone ids
    ['http://[fd12:3456::1]/', 'blocked', 'ok', 'blocked'],
    // cloud metadata: blocked under every policy
    ['http://169.254.169.254/', 'blocked', 'blocked', 'blocked'],
    ['http://169.254.169.254/latest/meta-data/', 'blocked', 'blocked', 'blocked'],
    ['http://2852039166/', 'blocked', 'blocked', 'blocked'], // 169.254.169.254 as an integer
    ['http://169.254.170.2/v2/credentials', 'blocked', 'blocked', 'blocked'],
    ['http://100.100.100.200/', 'blocked', 'blocked', 'blocked'],
    ['http://[fd00:ec2::254]/', 'blocked', 'blocked', 'blocked'],
    ['http://[::ffff:169.254.169.254]/', 'blocked', 'blocked', 'blocked'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'blocked', 'blocked', 'blocked'],
    ['http://metadata.google.internal/', 'blocked', 'blocked', 'blocked'],
    ['http://METADATA.google.internal./computeMetadata/v1/', 'blocked', 'blocked', 'blocked'],
    ['http://metadata/', 'blocked', 'blocked', 'blocked'],
    ['http://metadata.goog/', 'blocked', 'blocked', 'blocked'],
    ['http://instance-data/', 'blocked', 'blocked', 'blocked'],
    ['http://instance-data.ec2.internal/', 'blocked', 'blocked', 'blocked'],
    // private hostnames
    ['http://localhost/', 'blocked', 'ok', 'blocked'],
    ['http://LOCALHOST./', 'blocked', 'ok', 'blocked'],
    ['http://foo.localhost/', 'blocked', 'ok', 'blocked'],
    ['http://db.internal/', 'blocked', 'ok', 'blocked'],
    ['http://printer.local/', 'blocked', 'ok', 'blocked'],
    ['http://router.home.arpa/', 'blocked', 'ok', 'blocked'],
    ['http://intranet/', 'blocked', 'ok', 'blocked'], // single label
    ['http://ollama:11434/', 'blocked', 'ok', 'blocked'],
    // allow-list: exact host and effective port
    ['http://127.0.0.1:11434/', 'blocked', 'ok', 'ok'],
    ['http://127.0.0.1:11434/v1/chat/completions', 'blocked', 'ok', 'ok'],
    ['http://127.1:11434/', 'blocked', 'ok', 'ok'], // same host after normalisation
    ['http://127.0.0.1:11435/', 'blocked', 'ok', 'blocked'],
    ['http://127.0.0.1/', 'blocked', 'ok', 'blocked'],
    ['https://127.0.0.1:11434/', 'blocked', 'ok', 'ok'],
    ['http://127.0.0.2:11434/', 'blocked', 'ok', 'blocked'],
    ['http://localhost:11434/', 'blocked', 'ok', 'blocked'], // a different name for it is not listed
    ['http://[::1]:8000/', 'blocked', 'ok', 'ok'],
    ['http://[0::1]:8000/', 'blocked', 'ok', 'ok'],
    ['http://[::1]:8001/', 'blocked', 'ok', 'blocked'],
    ['http://ollama.local:11434/api', 'blocked', 'ok', 'ok'],
    ['http://OLLAMA.LOCAL.:11434/api', 'blocked', 'ok', 'ok'],
    ['http://ollama.local/', 'blocked', 'ok', 'blocked'],
    // credentials, schemes, garbage
    ['http://user:pass@api.openai.com/', 'credentials', 'credentials', 'credentials'],
    ['https://user@api.openai.com/', 'credentials', 'credentials', 'credentials'],
    ['https://:pass@api.openai.com/', 'credentials', 'credentials', 'credentials'],
    ['ftp://x/', 'scheme', 'scheme', 'scheme'],
    ['file:///etc/passwd', 'scheme', 'scheme', 'scheme'],
    ['javascript:', 'scheme', 'scheme', 'scheme'],
    ['javascript:alert(1)', 'scheme', 'scheme', 'scheme'],
    ['data:text/plain,hi', 'scheme', 'scheme', 'scheme'],
    ['gopher://127.0.0.1:6379/_', 'scheme', 'scheme', 'scheme'],
    ['ws://api.openai.com/', 'scheme', 'scheme', 'scheme'],
    ['', 'invalid', 'invalid', 'invalid'],
    ['api.openai.com', 'invalid', 'invalid', 'invalid'],
    ['http://', 'invalid', 'invalid', 'invalid'],
    ['http://[::1/', 'invalid', 'invalid', 'invalid'],
    ['http://256.0.0.1/', 'invalid', 'invalid', 'invalid'],
    ['http://./', 'invalid', 'invalid', 'invalid'],
  ];

  const outcome = (raw: string, policy: UpstreamPolicy): string => {
    const result = checkUpstreamUrl(raw, policy);
    return result.ok ? 'ok' : result.reason;
  };

  it.each(table)('%j → deny:%s allowPrivate:%s allowList:%s', (raw, deny, allowPrivate, allowList) => {
    expect([outcome(raw, DENY), outcome(raw, ALLOW_PRIVATE), outcome(raw, ALLOW_LIST)]).toEqual([
      deny,
      allowPrivate,
      allowList,
    ]);
  });

  it('returns the parsed URL on success', () => {
    const result = checkUpstreamUrl('https://api.openai.com/v1', DENY);
    expect(result.ok && result.url.href).toBe('https://api.openai.com/v1');
  });

  it('refusals carry only a coarse reason, never the address', () => {
    const result = checkUpstreamUrl('http://10.1.2.3/', DENY);
    expect(result).toEqual({ ok: false, reason: 'blocked' });
  });
});

describe('isAddressAllowed (connect time)', () => {
  const table: Array<[address: string, endpoint: string, policy: UpstreamPolicy, allowed: boolean]> = [
    ['104.18.6.192', 'api.openai.com:443', DENY, true],
    ['2606:4700::6812:6c0', 'api.openai.com:443', DENY, true],
    // DNS rebinding: a public name resolving to private space
    ['127.0.0.1', 'rebind.example:443', DENY, false],
    ['::1', 'rebind.example:443', DENY, false],
    ['::ffff:127.0.0.1', 'rebind.example:443', DENY, false],
    ['10.0.0.5', 'rebind.example:443', DENY, false],
    ['127.0.0.1', 'rebind.example:443', ALLOW_PRIVATE, true],
    // metadata never, whatever the policy
    ['169.254.169.254', 'rebind.example:80', DENY, false],
    ['169.254.169.254', 'rebind.example:80', ALLOW_PRIVATE, false],
    ['fd00:ec2::254', 'rebind.example:80', ALLOW_PRIVATE, false],
    ['169.254.169.254', '169.254.169.254:80', ALLOW_PRIVATE, false],
    // a blocked hostname stays blocked even if it resolves publicly
    ['8.8.8.8', 'metadata.google.internal:80', ALLOW_PRIVATE, false],
    ['8.8.8.8', 'localhost:80', DENY, false],
    ['8.8.8.8', 'localhost:80', ALLOW_PRIVATE, true],
    // allow-list: the endpoint the user named, not whatever else resolves to that address
    ['127.0.0.1', '127.0.0.1:11434', ALLOW_LIST, true],
    ['127.0.0.1', '127.0.0.1:11435', ALLOW_LIST, false],
    ['::1', '[::1]:8000', ALLOW_LIST, true],
    ['::1', '::1', ALLOW_LIST, true], // bare IPv6 host, no port
    ['192.168.1.20', 'ollama.local:11434', ALLOW_LIST, true],
    ['192.168.1.20', 'OLLAMA.local.:11434', ALLOW_LIST, true],
    ['192.168.1.20', 'ollama.local:80', ALLOW_LIST, false],
    ['169.254.169.254', 'ollama.local:11434', ALLOW_LIST, false],
    ['127.0.0.1', 'evil.example:11434', ALLOW_LIST, false],
    // port unknown (plain lookup): any entry for the host matches, the URL check owns the port
    ['192.168.1.20', 'ollama.local', ALLOW_LIST, true],
    ['127.0.0.1', '127.0.0.1', ALLOW_LIST, true],
    ['127.0.0.1', 'evil.example', ALLOW_LIST, false],
    ['8.8.8.8', 'evil.example', DENY, true],
    // fail closed on junk
    ['not-an-ip', 'api.openai.com:443', DENY, false],
    ['', 'api.openai.com:443', DENY, false],
    ['8.8.8.8', '', DENY, false],
    ['8.8.8.8', 'host:notaport', DENY, false],
    ['8.8.8.8', '[::1', DENY, false],
  ];
  it.each(table)('%j for %j → %j', (address, endpoint, policy, allowed) => {
    expect(isAddressAllowed(address, endpoint, policy)).toBe(allowed);
  });
});
