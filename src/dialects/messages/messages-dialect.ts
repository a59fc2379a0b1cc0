import { ApiError } from '../../errors/api-error.ts';
import type { Dialect } from '../dialect.ts';
import type { ClientAnthropicHeaders } from '../../protocols/anthropic/build-messages-pass-through-request.ts';
import { estimateTokens } from '../estimate-tokens.ts';
import { convertToChatRequest } from './convert-to-chat-request.ts';
import { createMessageEventEncoder } from './create-message-event-encoder.ts';
import { encodeMessage } from './encode-message.ts';
import type { MessagesRequest } from './messages-api.ts';
import { nativeMessagesRoute } from './native-messages-route.ts';

// Anthropic Messages over the chat exchange, for one request: the internal chat request it
// becomes for OpenAI-protocol targets, how their answer is told in Anthropic's format, and the
// native route for anthropic targets.

export interface MessagesExchange {
  /** The internal request the chat service routes and, for OpenAI-protocol targets, sends. */
  chatBody: Record<string, unknown>;
  dialect: Dialect;
}

export function createMessagesDialect(request: MessagesRequest, body: Record<string, unknown>, client: ClientAnthropicHeaders & { betaQuery: boolean }): MessagesExchange {
  let converted: ReturnType<typeof convertToChatRequest>;
  let untranslatable: ApiError | undefined;
  try {
    converted = convertToChatRequest(request);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // Still served by an anthropic target; an OpenAI-protocol one fails with this.
    untranslatable = error;
    converted = { body: { model: request.model, models: request.models, messages: [{ role: 'user', content: '' }], stream: request.stream === true }, droppedTools: [] };
  }
  const estimatedInputTokens = estimateTokens(request.system, request.messages, request.tools);
  const stopSequences = request.stop_sequences;
  return {
    chatBody: converted.body,
    dialect: {
      name: 'messages',
      droppedTools: converted.droppedTools,
      encodeCompletion: (completion) => JSON.stringify(encodeMessage(completion, { stopSequences, estimatedInputTokens })),
      createStreamEncoder: () => createMessageEventEncoder({ estimatedInputTokens, stopSequences }),
      native: nativeMessagesRoute(body, client),
      untranslatable,
    },
  };
}
