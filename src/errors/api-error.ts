// One error family for the whole app: every failure that reaches a client is an ApiError,
// rendered in one place (render-error.ts) as the contract's {error:{code,message,details?}}.

import type { ErrorCode } from '../api/errors.ts';

export type { ErrorCode };

export type ErrorDetails = Record<string, unknown>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: ErrorDetails } } {
    return {
      error: this.details === undefined
        ? { code: this.code, message: this.message }
        : { code: this.code, message: this.message, details: this.details },
    };
  }
}

export class ValidationError extends ApiError {
  constructor(message: string, details?: ErrorDetails) {
    super(400, 'VALIDATION_ERROR', message, details);
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message = 'Missing or invalid bearer token') {
    super(401, 'UNAUTHORIZED', message, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends ApiError {
  constructor(message: string) {
    super(403, 'FORBIDDEN', message);
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string, details?: ErrorDetails) {
    super(404, 'NOT_FOUND', message, details);
  }
}

export class ConflictError extends ApiError {
  constructor(message: string, details?: ErrorDetails) {
    super(409, 'CONFLICT', message, details);
  }
}

export class PayloadTooLargeError extends ApiError {
  constructor(limitBytes: number) {
    // The rest of the body is never read, so the connection cannot carry another request.
    super(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${limitBytes} bytes`, { limitBytes }, { Connection: 'close' });
  }
}


export class RateLimitedError extends ApiError {
  /** retryAfter: an HTTP Retry-After value (seconds or a date), kept as the upstream sent it. */
  constructor(message: string, retryAfter: string | undefined, details?: ErrorDetails) {
    super(429, 'RATE_LIMITED', message, details, retryAfter === undefined ? undefined : { 'Retry-After': retryAfter });
  }
}

/** An access key's token budget for its period is used up. */
export class QuotaExceededError extends ApiError {
  constructor(message: string, details?: ErrorDetails) {
    super(429, 'QUOTA_EXCEEDED', message, details);
  }
}

/** The store cannot take this request now (Redis unreachable; on Node, another process took the data file's lock); nothing was changed. */
export class StorageUnavailableError extends ApiError {
  constructor(message = 'The gateway\'s storage cannot be reached; try again shortly') {
    super(503, 'STORAGE_UNAVAILABLE', message, undefined, { 'Retry-After': '2' });
  }
}

/** The upstream answered, but not with something we can hand on (4xx/5xx, 3xx, bad body). */
export class ProviderError extends ApiError {
  constructor(message: string, details?: ErrorDetails) {
    super(502, 'PROVIDER_ERROR', message, details);
  }
}

/**
 * The provider refused the request itself (an upstream 400, 404, 413 or 422: a bad parameter, a
 * context too long, an unknown model): the client's to correct, under the upstream's own status,
 * not a gateway failure to retry.
 */
export class ProviderRejectedError extends ApiError {
  constructor(status: 400 | 404 | 413 | 422, message: string, details?: ErrorDetails) {
    super(status, 'PROVIDER_REJECTED', message, details);
  }
}

/**
 * A stored provider cannot be called as it is (a data file edited by hand, a record written by an
 * older version): nothing was sent. 502 like UPSTREAM_BLOCKED, the other refusal of a stored
 * provider at use time: the gateway is up, its way to this provider is not.
 */
export class ProviderMisconfiguredError extends ApiError {
  constructor(message: string, details?: ErrorDetails) {
    super(502, 'PROVIDER_MISCONFIGURED', message, details);
  }
}

/** The upstream address is not allowed (SSRF guard). The message never names the resolved address. */
export class UpstreamBlockedError extends ApiError {
  constructor(
    message = 'The provider address is not allowed by this server\'s outbound policy: a loopback, private or link-local address needs ALLOW_PRIVATE_UPSTREAMS on the gateway; the instance endpoints of a cloud host never are',
  ) {
    super(502, 'UPSTREAM_BLOCKED', message, { setting: 'ALLOW_PRIVATE_UPSTREAMS' });
  }
}

export class UpstreamTimeoutError extends ApiError {
  constructor(message = 'The provider did not answer in time') {
    super(504, 'UPSTREAM_TIMEOUT', message);
  }
}

export class InternalError extends ApiError {
  constructor(message = 'Internal server error') {
    super(500, 'INTERNAL_ERROR', message);
  }
}
