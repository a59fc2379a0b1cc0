import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';
import { contentTypeDetails, errorPayloadOf, parseJson } from './error-from-response.ts';
import { GatewayError } from './gateway-error.ts';
import type { ChatCompletionChunk } from './wire-types.ts';

// The gateway's chat stream: one `data: <chat.completion.chunk>` event per chunk, then
// `data: [DONE]`; a failure after the 200 is one `data: {"error":...}` event and no [DONE].
// Bytes → TextDecoderStream (characters split across reads) → eventsource-parser (events split
// anywhere, CRLF or LF) → JSON.

const eventStreamType = /^text\/event-stream\b/i;
const ignore = () => undefined;

export async function* readChatStream(response: Response, signal: AbortSignal | undefined): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  const body = response.body;
  if (body === null || !eventStreamType.test(response.headers.get('content-type') ?? '')) {
    await body?.cancel().catch(ignore);
    throw new GatewayError({ status: response.status, code: 'INVALID_RESPONSE', message: 'The answer to a stream request is not an event stream', details: contentTypeDetails(response) });
  }
  const reader = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  // Cancelling the reader cancels the response body, which closes the connection: the gateway
  // sees its client leave and aborts the upstream call. Done here rather than left to fetch, since
  // not every fetch (a test double, a proxy's) stops a body it already handed over.
  const stop = () => void reader.cancel(signal?.reason).catch(ignore);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      const event = await readEvent(reader, response.status, signal);
      if (event.data === '[DONE]') return;
      const value = parseJson(event.data);
      const failure = errorPayloadOf(value);
      if (failure) throw new GatewayError({ status: response.status, ...failure });
      if (typeof value !== 'object' || value === null) {
        throw new GatewayError({ status: response.status, code: 'INVALID_RESPONSE', message: 'A stream event is not a JSON chunk' });
      }
      yield value as ChatCompletionChunk;
    }
  } finally {
    // Also reached when the caller leaves the loop early (break, return, a throw in its body).
    signal?.removeEventListener('abort', stop);
    stop();
  }
}

async function readEvent(reader: ReadableStreamDefaultReader<EventSourceMessage>, status: number, signal: AbortSignal | undefined): Promise<EventSourceMessage> {
  if (signal?.aborted) throw signal.reason;
  let result: ReadableStreamReadResult<EventSourceMessage>;
  try {
    result = await reader.read();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw interrupted(status, error);
  }
  if (signal?.aborted) throw signal.reason;
  if (result.done) throw interrupted(status, undefined);
  return result.value;
}

function interrupted(status: number, cause: unknown): GatewayError {
  return new GatewayError({ status, code: 'STREAM_INTERRUPTED', message: 'The stream ended before [DONE] without an error event', cause });
}
