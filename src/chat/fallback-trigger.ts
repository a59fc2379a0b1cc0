import type { ApiError } from '../errors/api-error.ts';

/**
 * Whether a failed attempt lets the next target be tried (and counts against the provider's
 * circuit): the upstream's 429 or 5xx, a timeout, a network error. Anything else (a 400 for a
 * bad request, a 401 for a wrong key, an unreadable answer) would fail the same way elsewhere,
 * or says something is wrong with this request, so it fails at once.
 */
export function isFallbackTrigger(error: ApiError): boolean {
  const upstreamStatus = error.details?.upstreamStatus;
  switch (error.code) {
    case 'UPSTREAM_TIMEOUT':
      return true;
    case 'RATE_LIMITED':
      return upstreamStatus === 429;
    case 'PROVIDER_ERROR':
      return error.details?.reason === 'network' || (typeof upstreamStatus === 'number' && upstreamStatus >= 500);
    default:
      return false;
  }
}
