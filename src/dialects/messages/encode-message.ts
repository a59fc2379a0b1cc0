import type { ChatCompletion } from '../../api/chat.ts';
import { convertChatUsage, toMessageId, type MessagesUsage } from './convert-chat-usage.ts';
import { mapFinishReason } from './map-finish-reason.ts';
import { toToolUseId } from './map-tool-use-id.ts';
import type { MessageAnswer } from './messages-api.ts';

// A chat.completion → Anthropic's Message object: the text first, then one tool_use block per
// tool call (its arguments parsed; arguments that are not a JSON object arrive as {}, since
// Anthropic's input is always one). https://docs.anthropic.com/en/api/messages#response-content

export function encodeMessage(completion: ChatCompletion, options: { stopSequences: readonly string[] | undefined; estimatedInputTokens: number }): MessageAnswer {
  const choice = completion.choices[0];
  const content: MessageAnswer['content'] = [];
  if (choice?.message.content) content.push({ type: 'text', text: choice.message.content });
  for (const call of choice?.message.tool_calls ?? []) {
    content.push({ type: 'tool_use', id: toToolUseId(call.id), name: call.function.name, input: parseInput(call.function.arguments) });
  }
  const usage: MessagesUsage = convertChatUsage(completion.usage) ?? { input_tokens: options.estimatedInputTokens, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  return {
    id: toMessageId(completion.id),
    type: 'message',
    role: 'assistant',
    model: completion.model,
    content,
    ...mapFinishReason(choice?.finish_reason, (choice as { stop_reason?: unknown } | undefined)?.stop_reason, options.stopSequences),
    usage,
  };
}

export function parseInput(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text === '' ? '{}' : text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
