import { readJson, type Transport } from './create-transport.ts';
import { cacheHeaders, responseInfo, type ChatOptions } from './chat-methods.ts';
import { errorFromResponse } from './error-from-response.ts';
import { readEventStream } from './read-event-stream.ts';
import type { Message, MessageStreamEvent, MessagesRequest, ResponseObject, ResponsesRequest, ResponseStreamEvent } from './wire-types.ts';

// POST /messages (Anthropic Messages) and POST /responses (OpenAI Responses), any provider behind
// either: a promise of the whole answer, or an async generator of the dialect's own events (each
// parsed, the last one included: message_stop, response.completed / response.incomplete).

export interface DialectMethods {
  messages(request: MessagesRequest & { stream?: false | null | undefined }, options?: ChatOptions): Promise<Message>;
  /** Anthropic's events as they arrive, with `stream: true` forced; an `error` event is thrown as GatewayError. */
  streamMessages(request: MessagesRequest, options?: ChatOptions): AsyncGenerator<MessageStreamEvent, void, undefined>;
  responses(request: ResponsesRequest & { stream?: false | null | undefined }, options?: ChatOptions): Promise<ResponseObject>;
  /** The Responses events as they arrive, with `stream: true` forced; an `error` event is thrown as GatewayError. */
  streamResponses(request: ResponsesRequest, options?: ChatOptions): AsyncGenerator<ResponseStreamEvent, void, undefined>;
}

const typeOf = (value: unknown) => (value as { type?: unknown } | undefined)?.type;
const messagesStream = { isLast: (_data: string, value: unknown) => typeOf(value) === 'message_stop', lastEventName: 'message_stop' };
const responsesStream = {
  isLast: (_data: string, value: unknown) => typeOf(value) === 'response.completed' || typeOf(value) === 'response.incomplete' || typeOf(value) === 'response.failed',
  lastEventName: 'response.completed',
};

export function dialectMethods(transport: Transport): DialectMethods {
  async function post(path: string, request: object, options: ChatOptions, accept: string): Promise<Response> {
    const response = await transport.send('POST', path, { body: request, signal: options.signal, headers: cacheHeaders(options), accept });
    if (!response.ok) throw await errorFromResponse(response);
    options.onResponse?.(responseInfo(response));
    return response;
  }
  return {
    messages: async (request, options = {}) => readJson<Message>(await post('/messages', { ...request, stream: false }, options, 'application/json'), options.signal),
    async *streamMessages(request, options = {}) {
      yield* readEventStream<MessageStreamEvent>(await post('/messages', { ...request, stream: true }, options, 'text/event-stream'), options.signal, messagesStream);
    },
    responses: async (request, options = {}) => readJson<ResponseObject>(await post('/responses', { ...request, stream: false }, options, 'application/json'), options.signal),
    async *streamResponses(request, options = {}) {
      yield* readEventStream<ResponseStreamEvent>(await post('/responses', { ...request, stream: true }, options, 'text/event-stream'), options.signal, responsesStream);
    },
  };
}
