import { anthropicMessageSchema } from './anthropic-api.ts';
import { convertAnthropicUsage } from './convert-anthropic-usage.ts';
import { createChatCompletionId } from './create-chat-completion-id.ts';
import { createAnthropicValidationError } from './create-anthropic-validation-error.ts';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts';

interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/**
 * An Anthropic Messages response body → an OpenAI `chat.completion` object.
 *
 * Text blocks are concatenated into `content` (null when there is none, as OpenAI does for a pure
 * tool call answer); tool_use blocks become `tool_calls` with their input serialized as the JSON
 * string OpenAI clients parse; thinking and server-tool blocks have no OpenAI place and are dropped.
 *
 * Anthropic: https://docs.anthropic.com/en/api/messages#response-content
 * OpenAI: https://platform.openai.com/docs/api-reference/chat/object
 */
export function convertFromAnthropicResponse(json: unknown, options: { model: string; created: number }): Record<string, unknown> {
  const parsed = anthropicMessageSchema.safeParse(json);
  if (!parsed.success) throw createAnthropicValidationError(parsed.error, 'message');
  const message = parsed.data;

  let text: string | null = null;
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') {
      text = text === null ? block.text : text + block.text;
    } else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }

  const assistantMessage: Record<string, unknown> = { role: 'assistant', content: text, refusal: null };
  if (toolCalls.length > 0) assistantMessage.tool_calls = toolCalls;

  return {
    id: createChatCompletionId(message.id),
    object: 'chat.completion',
    created: options.created,
    model: options.model,
    choices: [
      {
        index: 0,
        message: assistantMessage,
        logprobs: null,
        // A complete message always ended for some reason; `stop` covers a missing one.
        finish_reason: mapAnthropicStopReason(message.stop_reason) ?? 'stop',
      },
    ],
    usage: convertAnthropicUsage(message.usage),
  };
}
