import { ValidationError } from '../../errors/api-error.ts';
import type { ResponsesInputItem } from './responses-api.ts';

// Responses input items → OpenAI chat messages.
// https://platform.openai.com/docs/api-reference/responses/create#responses-create-input
//
// - `instructions` is the first (system) message; `developer` messages become system messages,
//   which every OpenAI-compatible server knows.
// - message parts: input_text / output_text / refusal → text, input_image → image_url. A file
//   (input_file, or an image by file_id) lives in OpenAI's file store: it cannot be sent elsewhere.
// - function_call items become the tool_calls of one assistant message (joined to the assistant
//   text just before them), function_call_output items `tool` messages.
// - reasoning items and item types with no Chat Completions meaning (web_search_call, ...) are
//   dropped: a conversation that used a hosted tool elsewhere still goes on.

type ChatMessage = Record<string, unknown> & { role: string };
type ChatPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } };

export function convertToChatMessages(items: readonly ResponsesInputItem[], instructions: string | null | undefined): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (instructions) messages.push({ role: 'system', content: instructions });
  for (const [index, item] of items.entries()) {
    const field = `input[${index}]`;
    switch (item.type ?? 'message') {
      case 'message':
        messages.push(convertMessage(item, field));
        break;
      case 'function_call': {
        const call = { id: String(item.call_id ?? ''), type: 'function', function: { name: String(item.name ?? ''), arguments: typeof item.arguments === 'string' ? item.arguments : '{}' } };
        if (!call.id || !call.function.name) throw new ValidationError('A function_call item needs call_id and name', { field });
        const last = messages.at(-1);
        if (last?.role === 'assistant') last.tool_calls = [...((last.tool_calls as unknown[] | undefined) ?? []), call];
        else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
        break;
      }
      case 'function_call_output':
        if (typeof item.call_id !== 'string') throw new ValidationError('A function_call_output item needs call_id', { field: `${field}.call_id` });
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: outputText(item.output, `${field}.output`) });
        break;
      default:
        break;
    }
  }
  return messages;
}

function convertMessage(item: ResponsesInputItem, field: string): ChatMessage {
  const role = item.role === 'developer' ? 'system' : item.role;
  if (role !== 'user' && role !== 'system' && role !== 'assistant') throw new ValidationError('A message\'s role must be user, system, developer or assistant', { field: `${field}.role` });
  const content = item.content;
  if (typeof content === 'string') return { role, content };
  if (!Array.isArray(content)) throw new ValidationError('A message\'s content must be a string or an array of parts', { field: `${field}.content` });
  const parts = content.map((part: unknown, index) => convertPart(part, `${field}.content[${index}]`));
  if (role !== 'user' || parts.every((part) => part.type === 'text')) {
    if (parts.some((part) => part.type !== 'text')) throw new ValidationError(`Images can only be sent in user messages`, { field: `${field}.content` });
    return { role, content: parts.map((part) => (part as { text: string }).text).join('') };
  }
  return { role, content: parts };
}

function convertPart(part: unknown, field: string): ChatPart {
  const record = (typeof part === 'object' && part !== null ? part : {}) as Record<string, unknown>;
  switch (record.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: String(record.text ?? '') };
    case 'refusal':
      return { type: 'text', text: String(record.refusal ?? '') };
    case 'input_image': {
      if (typeof record.image_url !== 'string') throw new ValidationError('Only images given by image_url can be sent to this provider (not by file_id)', { field });
      const image: ChatPart = { type: 'image_url', image_url: { url: record.image_url } };
      if (typeof record.detail === 'string') image.image_url.detail = record.detail;
      return image;
    }
    default:
      throw new ValidationError(`Content parts of type ${JSON.stringify(record.type)} cannot be sent to this provider`, { field: `${field}.type` });
  }
}

function outputText(output: unknown, field: string): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map((part, index) => { const converted = convertPart(part, `${field}[${index}]`); return converted.type === 'text' ? converted.text : ''; }).join('');
  throw new ValidationError('A function_call_output\'s output must be a string or an array of parts', { field });
}
