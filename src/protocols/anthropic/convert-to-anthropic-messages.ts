import { ValidationError } from '../../errors/api-error.ts';
import type {
  AnthropicContentBlockParam,
  AnthropicMessageParam,
  AnthropicTextBlockParam,
  AnthropicToolUseBlockParam,
} from './anthropic-api.ts';
import { convertToAnthropicUserPart } from './convert-to-anthropic-user-part.ts';
import type { OpenAIMessage, OpenAITextContent } from './openai-chat-api.ts';

/**
 * OpenAI `messages` → Anthropic `system` + `messages`.
 *
 * - Anthropic has one top-level system prompt, so every system and developer message (wherever it
 *   stands) is joined into it: text parts of one message with a newline, messages with a blank line.
 *   https://docs.anthropic.com/en/api/messages#body-system
 * - Anthropic turns must alternate user/assistant, so consecutive turns of one role are merged.
 *   This is also what puts consecutive `tool` messages into one user turn of `tool_result` blocks,
 *   as Anthropic requires for parallel tool calls.
 *   https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#handling-results-from-client-tools
 * - Empty text is dropped (Anthropic rejects empty text blocks), and a turn left with no block at all
 *   is dropped with it.
 */
export function convertToAnthropicMessages(messages: readonly OpenAIMessage[]): {
  system: string | undefined;
  messages: AnthropicMessageParam[];
} {
  const systemTexts: string[] = [];
  const turns: AnthropicMessageParam[] = [];

  const appendTurn = (role: AnthropicMessageParam['role'], blocks: AnthropicContentBlockParam[]): void => {
    if (blocks.length === 0) return;
    const previous = turns[turns.length - 1];
    if (previous !== undefined && previous.role === role) {
      for (const block of blocks) previous.content.push(block);
    } else {
      turns.push({ role, content: blocks });
    }
  };

  for (let messageIndex = 0; messageIndex < messages.length; messageIndex++) {
    const message = messages[messageIndex]!;
    const field = `messages[${messageIndex}]`;

    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = joinText(message.content, '\n');
        if (text !== '') systemTexts.push(text);
        break;
      }

      case 'user': {
        if (typeof message.content === 'string') {
          appendTurn('user', message.content === '' ? [] : [{ type: 'text', text: message.content }]);
          break;
        }
        const blocks: AnthropicContentBlockParam[] = [];
        for (let partIndex = 0; partIndex < message.content.length; partIndex++) {
          const block = convertToAnthropicUserPart(message.content[partIndex]!, `${field}.content[${partIndex}]`);
          if (block !== undefined) blocks.push(block);
        }
        appendTurn('user', blocks);
        break;
      }

      case 'assistant': {
        const blocks: AnthropicContentBlockParam[] = [];
        const content = message.content;
        if (typeof content === 'string') {
          if (content !== '') blocks.push({ type: 'text', text: content });
        } else if (content !== null && content !== undefined) {
          for (const part of content) {
            // A refusal part in history is what the assistant said; Anthropic knows it only as text.
            const text = part.type === 'text' ? part.text : part.refusal;
            if (text !== '') blocks.push({ type: 'text', text });
          }
        }
        const toolCalls = message.tool_calls ?? [];
        for (let callIndex = 0; callIndex < toolCalls.length; callIndex++) {
          const toolCall = toolCalls[callIndex]!;
          blocks.push(
            convertToolCall(toolCall.id, toolCall.function.name, toolCall.function.arguments, `${field}.tool_calls[${callIndex}].function.arguments`),
          );
        }
        appendTurn('assistant', blocks);
        break;
      }

      case 'tool': {
        const content: string | AnthropicTextBlockParam[] =
          typeof message.content === 'string'
            ? message.content
            : message.content.map((part) => ({ type: 'text', text: part.text }));
        appendTurn('user', [{ type: 'tool_result', tool_use_id: message.tool_call_id, content }]);
        break;
      }

      default: {
        const unreachable: never = message;
        throw new ValidationError(`Unsupported message ${JSON.stringify(unreachable)}`, { field });
      }
    }
  }

  return { system: systemTexts.length === 0 ? undefined : systemTexts.join('\n\n'), messages: turns };
}

function joinText(content: OpenAITextContent, separator: string): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join(separator);
}

/**
 * An OpenAI tool call carries its arguments as a JSON string; Anthropic's tool_use wants the
 * parsed object. https://docs.anthropic.com/en/api/messages#body-messages-content-tool-use
 */
function convertToolCall(id: string, name: string, argumentsJson: string, field: string): AnthropicToolUseBlockParam {
  // A tool without parameters may come back with empty arguments; it means "no arguments".
  if (argumentsJson.trim() === '') return { type: 'tool_use', id, name, input: {} };
  let input: unknown;
  try {
    input = JSON.parse(argumentsJson);
  } catch {
    throw new ValidationError('Tool call arguments must be valid JSON', { field });
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError('Tool call arguments must be a JSON object', { field });
  }
  return { type: 'tool_use', id, name, input: input as Record<string, unknown> };
}
