import { describe, expect, it } from 'vitest';
import { scrubSecrets } from './scrub-secrets.ts';

// Keys out, everything else in: the links a provider's message points to are what its reader
// needs next. (Each provider's real 401 body, through the gateway: test/behaviour/upstream-refusals.test.ts.)

describe('scrubSecrets', () => {
  it.each([
    [
      'OpenAI\'s echo of a wrong key, with its link',
      'Incorrect API key provided: sk-proj-****************************************************************************************************************************************************************MxYA. You can find your API key at https://platform.openai.com/account/api-keys.',
      'Incorrect API key provided: [REDACTED]. You can find your API key at https://platform.openai.com/account/api-keys.',
    ],
    ['a bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc was refused', 'Authorization: [REDACTED] was refused'],
    [
      'a key in a URL\'s query, the rest of the URL kept',
      'GET https://generativelanguage.googleapis.com/v1beta/models?key=AIzaSyA-abcdefghijklmnopqrstuvwxyz12345&alt=json failed',
      'GET https://generativelanguage.googleapis.com/v1beta/models?key=REDACTED&alt=json failed',
    ],
    [
      'a URL\'s user and password',
      'could not reach http://user:hunter2@proxy.local:8080/v1 (see https://docs.example.com/proxies)',
      'could not reach http://REDACTED:REDACTED@proxy.local:8080/v1 (see https://docs.example.com/proxies)',
    ],
    ['a Google API key in prose', 'API key AIzaSyD-abcdefghijklmnopqrstuvwxyz0123456 expired', 'API key [REDACTED] expired'],
    ['an Anthropic key', 'invalid key sk-ant-api03-AbCdEf0123456789_-xyz', 'invalid key [REDACTED]'],
    ['a long opaque token', 'session 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 not found', 'session [REDACTED] not found'],
    ['a named key field', '{"x-api-key": "abc123def456"} is not valid', '{"x-api-key": "[REDACTED]"} is not valid'],
    ['a dotted type name', '@type: type.googleapis.com/google.rpc.ErrorInfo', '@type: type.googleapis.com/google.rpc.ErrorInfo'],
    ['a link at the end of a sentence', 'Visit https://platform.openai.com/account/rate-limits to learn more.', 'Visit https://platform.openai.com/account/rate-limits to learn more.'],
  ])('%s', (_, text, expected) => {
    expect(scrubSecrets(text)).toBe(expected);
  });

  it('masks the key it was given, whatever it looks like', () => {
    expect(scrubSecrets('your key ZZZZ-my-own-secret-value is wrong', 'ZZZZ-my-own-secret-value')).toBe('your key [REDACTED] is wrong');
    expect(scrubSecrets('see https://example.com/?q=ZZZZ-my-own-secret-value', 'ZZZZ-my-own-secret-value')).toBe('see https://example.com/?q=[REDACTED]');
  });

  it('cuts a message longer than 1,000 characters', () => {
    expect(scrubSecrets('word '.repeat(300))).toBe(`${'word '.repeat(200)}…`);
  });
});
