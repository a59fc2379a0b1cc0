// Pure tests: nothing here opens a socket or resolves a name.
import { describe, expect, it } from 'vitest';
import { checkUpstreamUrl } from './check-upstream-url.ts';
import { parseUpstreamPolicy } from './parse-upstream-policy.ts';
import type { UpstreamPolicy } from './upstream-policy.ts';

const DENY: UpstreamPolicy = parseUpstreamPolicy(undefined);
const ALLOW_PRIVATE: UpstreamPolicy = parseUpstreamPolicy('true');
const ALLOW_LIST: UpstreamPolicy = parseUpstreamPolicy('127.0.0.1:11434, [::1]:8000, Ollama.Local:11434');

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
    // spellings where ipaddr.js alone would read otherwise (classify-address.test.ts): the URL parser decides
    ['http://0xa9.0xfe.0xa9.0xfe./', 'blocked', 'blocked', 'blocked'],
    ['http://0251.0376.0251.0376./latest/meta-data/', 'blocked', 'blocked', 'blocked'],
    ['http://169.254.169.254%2e/', 'blocked', 'blocked', 'blocked'],
    ['http://\uff11\uff12\uff17.0.0.1:11434/', 'blocked', 'ok', 'ok'], // the allow-listed 127.0.0.1:11434
    ['http://0x/', 'blocked', 'ok', 'blocked'],
    ['http://127.0.0.1../', 'blocked', 'ok', 'blocked'], // a name to the URL parser; its dots dropped, still loopback
    ['http://example.0x7f/', 'invalid', 'invalid', 'invalid'],
    ['http://[::8.8.8.8]/', 'blocked', 'ok', 'blocked'], // IPv4-compatible, not the mapped ::ffff:8.8.8.8
    ['http://[::169.254.169.254]/', 'blocked', 'blocked', 'blocked'],
    ['http://[::ffff:0177.0.0.1]/', 'invalid', 'invalid', 'invalid'],
    ['http://[::ffff:0:a9fe:a9fe]/', 'blocked', 'blocked', 'blocked'], // IPv4-translated
    ['http://[64:ff9b:1:a9fe:a9:fe00::]/', 'blocked', 'blocked', 'blocked'], // local-use NAT64, /48 layout
    ['http://[2002:a9fe:a9fe::1]/', 'blocked', 'blocked', 'blocked'], // 6to4
    ['http://[2001:0:808:808::5601:5601]/', 'blocked', 'blocked', 'blocked'], // Teredo client
    ['http://[::1%25lo]:8000/', 'invalid', 'invalid', 'invalid'],
    ['http://[::ffff:7f00:1]:8000/', 'blocked', 'ok', 'blocked'], // not the listed [::1]
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
