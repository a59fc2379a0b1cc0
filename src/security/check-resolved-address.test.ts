// Pure tests: nothing here opens a socket or resolves a name.
import { describe, expect, it } from 'vitest';
import { isAddressAllowed } from './check-resolved-address.ts';
import { parseUpstreamPolicy } from './parse-upstream-policy.ts';
import type { UpstreamPolicy } from './upstream-policy.ts';

const DENY: UpstreamPolicy = parseUpstreamPolicy(undefined);
const ALLOW_PRIVATE: UpstreamPolicy = parseUpstreamPolicy('true');
const ALLOW_LIST: UpstreamPolicy = parseUpstreamPolicy('127.0.0.1:11434, [::1]:8000, Ollama.Local:11434');

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
