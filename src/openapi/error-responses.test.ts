import { describe, expect, it } from 'vitest';
import { errorCodes } from '../api/errors.ts';
import {
  ApiError,
  ConflictError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  PayloadTooLargeError,
  ProviderError,
  ProviderMisconfiguredError,
  ProviderRejectedError,
  QuotaExceededError,
  RateLimitedError,
  StorageUnavailableError,
  UnauthorizedError,
  UpstreamBlockedError,
  UpstreamTimeoutError,
  ValidationError,
} from '../errors/api-error.ts';
import { EncryptionKeyMismatchError } from '../crypto/encryption-key-mismatch-error.ts';
import { errorCodesByStatus, type ErrorStatus } from './error-responses.ts';

describe('errorCodesByStatus', () => {
  it('places every error code of the contract under one status, but PROVIDER_REJECTED, which keeps the provider\'s', () => {
    const listed: string[] = Object.values(errorCodesByStatus).flat();
    expect([...new Set(listed)].sort()).toEqual([...errorCodes].sort());
    const statusesOf = (code: string) => Object.entries(errorCodesByStatus).filter(([, codes]) => (codes as readonly string[]).includes(code)).map(([status]) => Number(status));
    for (const code of errorCodes) expect(statusesOf(code), code).toHaveLength(code === 'PROVIDER_REJECTED' ? 4 : 1);
    expect(statusesOf('PROVIDER_REJECTED')).toEqual([400, 404, 413, 422]);
  });

  it('puts each code under the status the gateway answers it with', () => {
    const errors: ApiError[] = [
      new ValidationError('x'),
      new UnauthorizedError(),
      new ForbiddenError('x'),
      new NotFoundError('x'),
      new ConflictError('x'),
      new PayloadTooLargeError(1),
      new RateLimitedError('x', undefined),
      new QuotaExceededError('x'),
      new ProviderError('x'),
      new ProviderRejectedError(422, 'x'),
      new ProviderMisconfiguredError('x'),
      new UpstreamBlockedError(),
      new UpstreamTimeoutError(),
      new StorageUnavailableError(),
      new InternalError(),
      new EncryptionKeyMismatchError(),
    ];
    for (const error of errors) expect(errorCodesByStatus[error.status as ErrorStatus], error.code).toContain(error.code);
  });
});
