import type { ApiError } from '../../errors/api-error.ts';
import type { MessagesErrorBody } from './messages-api.ts';

// The gateway's errors in Anthropic's shape, for the Messages route: the type Anthropic gives the
// same status, the gateway's code beside it. An upstream's 529 (overloaded) stays a 529, so the
// Anthropic SDKs and Claude Code back off as they do with Anthropic itself.
// https://docs.anthropic.com/en/api/errors#http-errors

type AnthropicErrorType = MessagesErrorBody['error']['type'];

type ErrorLike = Pick<ApiError, 'status' | 'code' | 'message' | 'details'>;

export function renderMessagesError(error: ErrorLike): { status: number; body: MessagesErrorBody } {
  const overloaded = error.details?.upstreamStatus === 529;
  const status = overloaded ? 529 : error.status;
  const body: MessagesErrorBody = { type: 'error', error: { type: overloaded ? 'overloaded_error' : errorTypeFor(status), message: error.message, gateway_code: error.code } };
  if (error.details !== undefined) body.error.details = error.details;
  return { status, body };
}

function errorTypeFor(status: number): AnthropicErrorType {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    default:
      return status < 500 ? 'invalid_request_error' : 'api_error';
  }
}

/** A failure after the stream started: one `error` event, as Anthropic sends its own. https://docs.anthropic.com/en/docs/build-with-claude/streaming#error-events */
export function frameMessagesError(error: ErrorLike): string {
  return `event: error\ndata: ${JSON.stringify(renderMessagesError(error).body)}\n\n`;
}
