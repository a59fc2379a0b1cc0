import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';
import { contentTypeDetails, errorPayloadOf, parseJson } from './error-from-response.ts';
import { GatewayError } from './gateway-error.ts';

// One of the gateway's event streams (chat's, Anthropic's, Responses'), event by event:
// bytes → TextDecoderStream (characters split across reads) → eventsource-parser (events split
// anywhere, CRLF or LF) → JSON. An error event (each dialect's shape, with the gateway's code)
// is thrown as GatewayError; a stream that ends before its dialect's last event as STREAM_INTERRUPTED.

const eventStreamType = /^text\/event-stream\b/i;
const ignore = () => undefined;

export interface StreamDialect {
  /** The event after which the answer is complete (`undefined` for chat's [DONE], which is not yielded). */
  isLast(data: string, value: unknown): boolean;
  /** What the interruption says is missing. */
  lastEventName: string;
}

export async function* readEventStream<T>(response: Response, signal: AbortSignal | undefined, dialect: StreamDialect): AsyncGenerator<T, void, undefined> {
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
      const event = await readEvent(reader, response.status, signal, dialect.lastEventName);
      const value = event.data === '[DONE]' ? undefined : parseJson(event.data);
      const last = dialect.isLast(event.data, value);
      if (event.data === '[DONE]' && last) return;
      const failure = errorPayloadOf(value) ?? providerErrorEvent(value);
      if (failure) throw new GatewayError({ status: response.status, ...failure });
      if (typeof value !== 'object' || value === null) {
        throw new GatewayError({ status: response.status, code: 'INVALID_RESPONSE', message: 'A stream event is not a JSON chunk' });
      }
      yield value as T;
      if (last) return;
    }
  } finally {
    // Also reached when the caller leaves the loop early (break, return, a throw in its body).
    signal?.removeEventListener('abort', stop);
    stop();
  }
}

async function readEvent(reader: ReadableStreamDefaultReader<EventSourceMessage>, status: number, signal: AbortSignal | undefined, lastEventName: string): Promise<EventSourceMessage> {
  if (signal?.aborted) throw signal.reason;
  let result: ReadableStreamReadResult<EventSourceMessage>;
  try {
    result = await reader.read();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw interrupted(status, error, lastEventName);
  }
  if (signal?.aborted) throw signal.reason;
  if (result.done) throw interrupted(status, undefined, lastEventName);
  return result.value;
}

function interrupted(status: number, cause: unknown, lastEventName: string): GatewayError {
  return new GatewayError({ status, code: 'STREAM_INTERRUPTED', message: `The stream ended before ${lastEventName} without an error event`, cause });
}

/** A provider's own error event passed through as it came (`{type:"error", error:{type, message}}`, no gateway code). */
function providerErrorEvent(value: unknown): { code: string; message: string } | undefined {
  const event = value as { type?: unknown; error?: { message?: unknown } } | undefined;
  if (event?.type !== 'error') return undefined;
  return { code: 'PROVIDER_ERROR', message: typeof event.error?.message === 'string' ? event.error.message : 'The provider reported an error' };
}
