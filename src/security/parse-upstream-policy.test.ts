// Pure tests: nothing here opens a socket or resolves a name.
import { describe, expect, it } from 'vitest';
import { parseUpstreamPolicy } from './parse-upstream-policy.ts';
import type { UpstreamPolicy } from './upstream-policy.ts';

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
