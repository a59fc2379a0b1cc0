import { describe, expect, it } from 'vitest';
import { ForbiddenError, ProviderError, RateLimitedError, UpstreamTimeoutError, ValidationError } from '../../errors/api-error.ts';
import { renderMessagesError } from './render-messages-error.ts';

describe('renderMessagesError', () => {
  it('gives each status Anthropic\'s error type and keeps the gateway\'s code', () => {
    expect(renderMessagesError(new ValidationError('Invalid model', { field: 'model' }))).toEqual({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'Invalid model', gateway_code: 'VALIDATION_ERROR', details: { field: 'model' } } } });
    expect(renderMessagesError(new ForbiddenError('no')).body.error.type).toBe('permission_error');
    expect(renderMessagesError(new RateLimitedError('slow down', '3')).body.error).toEqual({ type: 'rate_limit_error', message: 'slow down', gateway_code: 'RATE_LIMITED' });
    expect(renderMessagesError(new UpstreamTimeoutError())).toMatchObject({ status: 504, body: { error: { type: 'api_error', gateway_code: 'UPSTREAM_TIMEOUT' } } });
  });

  it('keeps an upstream 529 a 529 overloaded_error', () => {
    expect(renderMessagesError(new ProviderError('Overloaded', { upstreamStatus: 529 }))).toEqual({
      status: 529,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded', gateway_code: 'PROVIDER_ERROR', details: { upstreamStatus: 529 } } },
    });
  });
});
