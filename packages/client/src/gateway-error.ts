import type { ErrorCode } from './wire-types.ts';

/** Failures the client detects itself, with no error body from the gateway to say so. */
export type ClientErrorCode =
  /** No HTTP answer at all: refused connection, DNS, CORS refusal, offline (status 0). */
  | 'NETWORK_ERROR'
  /** A stream ended without `[DONE]` and without an error event: a dropped connection or a proxy cut it. */
  | 'STREAM_INTERRUPTED'
  /** An answer that is not what the route sends: a success that is not JSON, a chunk that is not JSON. */
  | 'INVALID_RESPONSE'
  /** An error status without the gateway's error body (a proxy's HTML page) and no code for its status. */
  | 'HTTP_ERROR';

/** The gateway's codes, the client's own, and any code a newer gateway adds. */
export type GatewayErrorCode = ErrorCode | ClientErrorCode | (string & {});

export interface GatewayErrorInit {
  status: number;
  code: GatewayErrorCode;
  message: string;
  details?: Record<string, unknown> | undefined;
  retryAfterSeconds?: number | undefined;
  cause?: unknown;
}

/**
 * Every failure of a client call. `status` is the HTTP status actually received: 0 when there was
 * no answer (or the client refused the call before sending it), 200 for a failure inside a stream.
 */
export class GatewayError extends Error {
  readonly status: number;
  readonly code: GatewayErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** From the answer's Retry-After (seconds, or an HTTP date turned into seconds from now). */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GatewayError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}
