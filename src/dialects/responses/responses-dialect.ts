import type { Caller } from '../../auth/caller.ts';
import { ApiError } from '../../errors/api-error.ts';
import type { Dialect } from '../dialect.ts';
import { newResponseFrame } from './build-response-object.ts';
import { convertToChatRequest } from './convert-to-chat-request.ts';
import { createResponseEventEncoder } from './create-response-event-encoder.ts';
import { encodeResponse } from './encode-response.ts';
import { nativeResponsesRoute } from './native-responses-route.ts';
import type { ResponseObject, ResponsesInputItem, ResponsesRequest } from './responses-api.ts';
import type { StoredResponses } from './stored-responses.ts';

// OpenAI Responses over the chat exchange, for one request: the conversation so far (a stored
// previous response's items, then this request's), the internal chat request it becomes, how the
// chat answer is told as a Response (JSON or events), where the response is kept afterwards, and
// the native route for providers that serve Responses themselves.

export interface ResponsesExchange {
  chatBody: Record<string, unknown>;
  dialect: Dialect;
}

export interface ResponsesContext {
  caller: Caller;
  stored: StoredResponses;
  now: () => number;
}

export async function createResponsesDialect(request: ResponsesRequest, body: Record<string, unknown>, context: ResponsesContext): Promise<ResponsesExchange> {
  let untranslatable: ApiError | undefined;
  let items: ResponsesInputItem[] = typeof request.input === 'string' ? [{ type: 'message', role: 'user', content: request.input }] : request.input;
  try {
    items = await context.stored.resolveReferences(items, context.caller);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    untranslatable = error;
  }
  let history: ResponsesInputItem[] = [];
  if (request.previous_response_id) {
    try {
      history = await context.stored.history(request.previous_response_id, context.caller);
    } catch (error) {
      // A provider that serves Responses itself resolves its own ids; only a translation needs ours.
      if (!(error instanceof ApiError)) throw error;
      untranslatable ??= error;
    }
  }
  const conversation = [...history, ...items];
  let converted: ReturnType<typeof convertToChatRequest>;
  try {
    converted = convertToChatRequest(request, conversation);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    untranslatable ??= error;
    converted = { body: { model: request.model, models: request.models, messages: [{ role: 'user', content: '' }], stream: request.stream === true }, droppedTools: [], namespaces: new Map() };
  }

  const frame = newResponseFrame(request, context.now);
  let finished: ResponseObject | undefined;
  return {
    chatBody: converted.body,
    dialect: {
      name: 'responses',
      droppedTools: converted.droppedTools,
      encodeCompletion(completion) {
        finished = encodeResponse(completion, frame, converted.namespaces);
        return JSON.stringify(finished);
      },
      createStreamEncoder: () => createResponseEventEncoder(frame, converted.namespaces, (response) => (finished = response)),
      async settle() {
        if (request.store !== false && finished !== undefined) await context.stored.save({ response: finished, input: conversation }, context.caller);
      },
      native: nativeResponsesRoute(body),
      untranslatable,
    },
  };
}
