import { createParser } from 'eventsource-parser';
import type { ChatCompletionChunk } from '../api/chat.ts';
import type { ErrorBody } from '../api/errors.ts';

// The chat service's own SSE frames, read back by a dialect's stream encoder: each chunk parsed,
// the end ([DONE]) and the contract's error frame told apart. The frames come from the gateway
// itself, so only their JSON is trusted to be well formed, not their fields.

export type ChatFrame = { kind: 'chunk'; chunk: ChatCompletionChunk } | { kind: 'done' } | { kind: 'error'; error: ErrorBody['error'] };

export function createChatFrameReader(onFrame: (frame: ChatFrame) => void): (text: string) => void {
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') return onFrame({ kind: 'done' });
      const parsed = JSON.parse(event.data) as Partial<ChatCompletionChunk> & Partial<ErrorBody>;
      if (parsed.error !== undefined && parsed.choices === undefined) return onFrame({ kind: 'error', error: parsed.error });
      onFrame({ kind: 'chunk', chunk: parsed as ChatCompletionChunk });
    },
  });
  return (text) => parser.feed(text);
}
