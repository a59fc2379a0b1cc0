import type { ApiError } from '../../errors/api-error.ts';

/**
 * A failure after a Messages stream started (timeout, lost connection): the contract's error
 * object as an SSE event named `error`, the name Anthropic gives its own error events, so the
 * Anthropic SDK throws it as an APIError instead of skipping an unnamed event.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming#error-events
 */
export function frameMessagesStreamError(error: ApiError): string {
  return `event: error\ndata: ${JSON.stringify(error.toJSON())}\n\n`;
}
