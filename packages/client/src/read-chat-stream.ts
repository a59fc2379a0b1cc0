import { readEventStream } from './read-event-stream.ts';
import type { ChatCompletionChunk } from './wire-types.ts';

// The gateway's chat stream: one `data: <chat.completion.chunk>` event per chunk, then
// `data: [DONE]`; a failure after the 200 is one `data: {"error":...}` event and no [DONE].

const chatStream = { isLast: (data: string) => data === '[DONE]', lastEventName: '[DONE]' };

export function readChatStream(response: Response, signal: AbortSignal | undefined): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  return readEventStream<ChatCompletionChunk>(response, signal, chatStream);
}
