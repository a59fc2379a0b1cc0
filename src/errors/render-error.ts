import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError, InternalError, NotFoundError, ValidationError } from './api-error.ts';
import { retryCannotHelp, SHOULD_RETRY_HEADER } from './retry-cannot-help.ts';

// The one place an error becomes a response. Anything that is not an ApiError is logged by the
// caller and answered as a bare INTERNAL_ERROR: no message, no stack from inside the server.

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    // Hono's own validator throws these for bodies it cannot parse.
    if (error.status === 400) return new ValidationError('Malformed JSON in request body', { field: 'body' });
    if (error.status === 404) return new NotFoundError('Route not found');
  }
  return new InternalError();
}

export function renderError(c: Context, error: ApiError): Response {
  const headers = retryCannotHelp(error) ? { ...error.headers, [SHOULD_RETRY_HEADER]: 'false' } : error.headers;
  return c.json(error.toJSON(), error.status as 400, headers);
}
