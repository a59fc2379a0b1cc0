import { ValidationError } from '../../errors/api-error.ts';
import type { MessagesContentBlock, MessagesMessageParam, MessagesRequest } from './messages-api.ts';
import { toToolCallId } from './map-tool-use-id.ts';

// Anthropic's system prompt and turns → OpenAI chat messages.
// https://docs.anthropic.com/en/api/messages#body-messages
// https://platform.openai.com/docs/api-reference/chat/create#chat-create-messages
//
// - A user turn's tool_result blocks become `tool` messages, first (OpenAI wants them right after
//   the assistant's tool_calls), then its text and images as one user message. A tool message
//   holds text only: a result's images follow in that user message. `is_error` prefixes "Error: ".
// - An assistant turn's text becomes its content, its tool_use blocks its tool_calls.
// - A `system` turn inside `messages` (Claude Code sends its environment notes so) is a system message.
// - thinking, redacted_thinking and server tool blocks are dropped: an OpenAI provider cannot
//   read them. A document block cannot be sent at all: that is the client's error to fix.

type ChatPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };
type ChatMessage = Record<string, unknown> & { role: string };

const DROPPED_BLOCKS = new Set(['thinking', 'redacted_thinking', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result', 'code_execution_tool_result', 'mcp_tool_use', 'mcp_tool_result', 'container_upload']);

export function convertToChatMessages(request: Pick<MessagesRequest, 'system' | 'messages'>): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const system = typeof request.system === 'string' ? request.system : request.system?.map((block) => block.text).join('\n\n');
  if (system) messages.push({ role: 'system', content: system });
  for (const [index, message] of request.messages.entries()) {
    if (message.role === 'user') messages.push(...convertUserTurn(message, index));
    else if (message.role === 'system') messages.push({ role: 'system', content: systemText(message) });
    else messages.push(convertAssistantTurn(message, index));
  }
  return messages;
}

function systemText(message: MessagesMessageParam): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.flatMap((block) => (block.type === 'text' && 'text' in block ? [block.text as string] : [])).join('\n\n');
}

function convertUserTurn(message: MessagesMessageParam, index: number): ChatMessage[] {
  if (typeof message.content === 'string') return [{ role: 'user', content: message.content }];
  const toolMessages: ChatMessage[] = [];
  const parts: ChatPart[] = [];
  for (const [blockIndex, block] of message.content.entries()) {
    const field = `messages[${index}].content[${blockIndex}]`;
    if (block.type === 'tool_result' && 'tool_use_id' in block) {
      const { text, images } = convertToolResult(block as ToolResultBlock, field);
      toolMessages.push({ role: 'tool', tool_call_id: toToolCallId(block.tool_use_id as string), content: text });
      parts.push(...images);
    } else {
      const part = convertUserBlock(block, field);
      if (part) parts.push(part);
    }
  }
  if (parts.length === 0) return toolMessages;
  const content = parts.every((part) => part.type === 'text') ? parts.map((part) => part.text).join('\n') : parts;
  return [...toolMessages, { role: 'user', content }];
}

interface ToolResultBlock {
  content?: string | Array<MessagesContentBlock>;
  is_error?: boolean;
}

function convertToolResult(block: ToolResultBlock, field: string): { text: string; images: ChatPart[] } {
  const texts: string[] = [];
  const images: ChatPart[] = [];
  if (typeof block.content === 'string') texts.push(block.content);
  for (const [partIndex, part] of (Array.isArray(block.content) ? block.content : []).entries()) {
    const converted = convertUserBlock(part, `${field}.content[${partIndex}]`);
    if (converted?.type === 'text') texts.push(converted.text);
    else if (converted) images.push(converted);
  }
  const text = texts.join('\n');
  return { text: block.is_error === true ? `Error: ${text}` : text, images };
}

function convertUserBlock(block: MessagesContentBlock, field: string): ChatPart | undefined {
  if (block.type === 'text' && 'text' in block) return { type: 'text', text: block.text as string };
  if (block.type === 'image' && 'source' in block) {
    const source = block.source as { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
    return { type: 'image_url', image_url: { url: source.type === 'url' ? source.url : `data:${source.media_type};base64,${source.data}` } };
  }
  if (DROPPED_BLOCKS.has(block.type)) return undefined;
  throw new ValidationError(`Content blocks of type ${JSON.stringify(block.type)} cannot be sent to an OpenAI-protocol provider`, { field: `${field}.type` });
}

function convertAssistantTurn(message: MessagesMessageParam, index: number): ChatMessage {
  if (typeof message.content === 'string') return { role: 'assistant', content: message.content };
  const texts: string[] = [];
  const toolCalls: unknown[] = [];
  for (const [blockIndex, block] of message.content.entries()) {
    if (block.type === 'text' && 'text' in block) texts.push(block.text as string);
    else if (block.type === 'tool_use' && 'id' in block) {
      toolCalls.push({ id: toToolCallId(block.id as string), type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    } else if (!DROPPED_BLOCKS.has(block.type)) {
      throw new ValidationError(`Content blocks of type ${JSON.stringify(block.type)} cannot be sent to an OpenAI-protocol provider`, { field: `messages[${index}].content[${blockIndex}].type` });
    }
  }
  const converted: ChatMessage = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (toolCalls.length > 0) converted.tool_calls = toolCalls;
  return converted;
}
