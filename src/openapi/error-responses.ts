import * as z from 'zod';
import type { ZodOpenApiResponseObject } from 'zod-openapi';
import { errorBodySchema, type ErrorCode } from '../api/errors.ts';
import type { ApiError } from '../errors/api-error.ts';
import { withCommonHeaders } from './response-headers.ts';

// Every error status the gateway answers, with the codes each may carry: the error shape of the
// contract, narrowed per status so a reader (and the live check of the tests) knows which codes
// can come with which status.

export const errorCodesByStatus = {
  400: ['VALIDATION_ERROR', 'PROVIDER_REJECTED'],
  401: ['UNAUTHORIZED'],
  403: ['FORBIDDEN'],
  404: ['NOT_FOUND', 'PROVIDER_REJECTED'],
  409: ['CONFLICT'],
  413: ['PAYLOAD_TOO_LARGE', 'PROVIDER_REJECTED'],
  422: ['PROVIDER_REJECTED'],
  429: ['RATE_LIMITED', 'QUOTA_EXCEEDED'],
  500: ['INTERNAL_ERROR', 'ENCRYPTION_KEY_MISMATCH'],
  502: ['PROVIDER_ERROR', 'PROVIDER_MISCONFIGURED', 'UPSTREAM_BLOCKED'],
  503: ['STORAGE_UNAVAILABLE'],
  504: ['UPSTREAM_TIMEOUT'],
} as const satisfies Record<number, readonly [ErrorCode, ...ErrorCode[]]>;

export type ErrorStatus = keyof typeof errorCodesByStatus;

const descriptions: Record<ErrorStatus, string> = {
  400: 'The request is invalid: a bad body, query or header, malformed JSON, or a wrong Content-Type (`details.field` names the field); or PROVIDER_REJECTED: the provider refused it (`details.upstreamStatus`, its message).',
  401: 'Missing or wrong bearer token; or an unknown, disabled or expired access key.',
  403: 'An access key outside its scope: a route, provider or model it may not use.',
  404: 'No such resource (or an unknown provider in `model`); or PROVIDER_REJECTED: the provider answered 404 (an unknown model, or a base URL with a wrong path).',
  409: 'A provider with that name exists (`details.field: "name"`, or `details.index` in an import).',
  413: 'The body is over MAX_REQUEST_BODY_BYTES (`details.limitBytes`); or PROVIDER_REJECTED: the provider found it too large.',
  422: 'PROVIDER_REJECTED: the provider could not process the request (`details.upstreamStatus`, its message).',
  429: 'RATE_LIMITED: the gateway\'s limit or the provider\'s (then `details.upstreamStatus`); QUOTA_EXCEEDED: the access key\'s token budget cannot take this request\'s worst case (`details.used`, `details.reserved` by its requests in flight, `details.requested`).',
  500: 'INTERNAL_ERROR (never a stack trace), or ENCRYPTION_KEY_MISMATCH: a stored key cannot be decrypted with the configured PROVIDER_ENCRYPTION_KEY.',
  502: 'The provider failed (`details.upstreamStatus` and its message, never a key; its 401 or 403, a refused key, carries `x-should-retry: false`), a stored provider cannot be called as it is, or its address is refused by the outbound policy (`details.setting: "ALLOW_PRIVATE_UPSTREAMS"`).',
  503: 'The gateway\'s storage cannot take the request now; nothing was changed.',
  504: 'The provider sent no headers, or stayed silent between two chunks, for longer than UPSTREAM_TIMEOUT_MS.',
};

const retryAfter = z.string().meta({ description: 'Seconds (or an HTTP date) to wait before trying again.' });

const shouldRetry = z.literal('false').meta({ description: 'A retry cannot help: the official openai and Anthropic SDKs then do not retry.' });
const permanent = z.object({ 'x-should-retry': shouldRetry });

const headersByStatus: Partial<Record<ErrorStatus, z.ZodObject>> = {
  400: permanent,
  401: permanent.extend({ 'WWW-Authenticate': z.literal('Bearer') }),
  403: permanent,
  404: permanent,
  409: permanent,
  413: permanent,
  422: permanent,
  429: z.object({ 'Retry-After': retryAfter.optional() }),
  500: z.object({ 'x-should-retry': shouldRetry.optional() }),
  502: z.object({ 'x-should-retry': shouldRetry.optional() }),
  503: z.object({ 'Retry-After': retryAfter }),
};

function errorBodyFor(status: ErrorStatus) {
  const { error } = errorBodySchema.shape;
  return z.object({ error: error.extend({ code: z.enum(errorCodesByStatus[status]) }) }).meta({ id: `Error${status}` });
}

const bodies = new Map((Object.keys(errorCodesByStatus).map(Number) as ErrorStatus[]).map((status) => [status, errorBodyFor(status)]));

const names: Record<ErrorStatus, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  422: 'UnprocessableEntity',
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'Unavailable',
  504: 'GatewayTimeout',
};

const responses = new Map<string, ZodOpenApiResponseObject>();

/**
 * One response object per status (and header set), handed to every operation that answers it:
 * zod-openapi renders it once, as a component the operations refer to, instead of once per
 * operation (which made the document three times longer and slower to build).
 */
export function errorResponse(status: ErrorStatus, rateLimited: boolean): ZodOpenApiResponseObject {
  const id = rateLimited ? names[status] : `${names[status]}OutsideApi`;
  let response = responses.get(id);
  if (response === undefined) {
    response = withCommonHeaders(
      { id, description: descriptions[status], headers: headersByStatus[status], content: { 'application/json': { schema: bodies.get(status)! } } },
      rateLimited,
    );
    responses.set(id, response);
  }
  return response;
}

/** A dialect's own error shape (Anthropic's on /messages), per status, shared by that dialect's operations. */
export function dialectErrorResponse(status: ErrorStatus, dialect: ErrorDialect, rateLimited: boolean): ZodOpenApiResponseObject {
  const id = `${dialect.name}${names[status]}${rateLimited ? '' : 'OutsideApi'}`;
  let response = responses.get(id);
  if (response === undefined) {
    response = withCommonHeaders({ id, description: descriptions[status], headers: headersByStatus[status], content: { 'application/json': { schema: dialect.schema } } }, rateLimited);
    responses.set(id, response);
  }
  return response;
}

export interface ErrorDialect {
  /** Prefixes its response components' names (`Messages` → `MessagesBadRequest`). */
  name: string;
  schema: z.ZodType;
  /** The error as this dialect answers it (the app's error handler asks the matched route). */
  render(error: ApiError): { status: number; body: unknown };
}
