import { describe, expect, it } from 'vitest';
import { ProviderMisconfiguredError } from '../errors/api-error.ts';
import type { StoredProvider } from '../storage/provider-store.ts';
import { buildUpstreamHeaders } from './build-upstream-headers.ts';

// Stored records that never passed the save-time checks (edited by hand, written by an older version).

const stored = (customHeaders: Record<string, string>): StoredProvider => ({
  id: 'p1',
  name: 'p',
  baseUrl: 'https://api.example.com/v1',
  routingMethod: 'openai',
  customHeaders,
  encryptedApiKey: { v: 1, iv: 'aXZpdml2aXZpdml2', data: 'ZGF0YQ==', tag: 'dGFndGFndGFndGFndGFnIQ==' },
  apiKeyHint: '…',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

function thrownBy(run: () => unknown): ProviderMisconfiguredError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProviderMisconfiguredError) return error;
    throw error;
  }
  throw new Error('nothing thrown');
}

describe('buildUpstreamHeaders', () => {
  it('lower-cases custom headers, drops the ones the proxy owns, and lets its own win', () => {
    const headers = buildUpstreamHeaders(stored({ 'X-Title': 'a\tb c', Authorization: 'Bearer other', Accept: 'text/plain' }), { accept: 'application/json', authorization: 'Bearer key' });
    expect(headers).toEqual({ 'x-title': 'a\tb c', accept: 'application/json', authorization: 'Bearer key' });
  });

  it.each([
    ['a value with a control character', { 'X-Title': 'a\u000bb' }, 'X-Title', 'a value'],
    ['a value with trailing whitespace', { 'X-Title': 'ab ' }, 'X-Title', 'a value'],
    ['a name that is not a token', { 'X Title': 'ok' }, 'X Title', 'a name'],
  ])('refuses %s, naming the header and not its value, every time it is asked', (_, customHeaders, header, part) => {
    const provider = stored(customHeaders);
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = thrownBy(() => buildUpstreamHeaders(provider, { authorization: 'Bearer key' }));
      expect(error.toJSON()).toEqual({
        error: {
          code: 'PROVIDER_MISCONFIGURED',
          message: `The provider's custom header ${JSON.stringify(header)} has ${part} that HTTP does not allow, so nothing was sent; correct its customHeaders with PUT /api/v1/providers/p1`,
          details: { providerId: 'p1', header },
        },
      });
      expect(error.status).toBe(502);
    }
  });
});
