import type { ErrorCode } from '../api/errors.ts';
import type { ApiError } from './api-error.ts';

// Whether retrying the same request could succeed. Where it cannot, the answer says so in
// `x-should-retry: false`, which the official openai and @anthropic-ai/sdk clients read before
// their own rules by status (they retry a 409 and every 5xx), so a refused request costs one call,
// not three. A retryable failure gets no such header: the clients' own rules apply.

const permanentStatuses = new Set([400, 401, 403, 404, 409, 413, 422]);
// 5xx that say something about this gateway's setup, not about this moment.
const permanentCodes = new Set<ErrorCode>(['PROVIDER_MISCONFIGURED', 'UPSTREAM_BLOCKED', 'ENCRYPTION_KEY_MISMATCH']);

export function retryCannotHelp(error: ApiError): boolean {
  if (permanentStatuses.has(error.status) || permanentCodes.has(error.code)) return true;
  // The provider refused the stored key: a retry would send the same key.
  const upstreamStatus = error.details?.upstreamStatus;
  return error.code === 'PROVIDER_ERROR' && (upstreamStatus === 401 || upstreamStatus === 403);
}

export const SHOULD_RETRY_HEADER = 'x-should-retry';
