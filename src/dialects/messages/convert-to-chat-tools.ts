import type { MessagesRequest } from './messages-api.ts';

// Anthropic tools and tool_choice → OpenAI's.
// https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/overview
// https://platform.openai.com/docs/api-reference/chat/create#chat-create-tools
//
// A custom tool (an input_schema, no versioned type) becomes a function; its cache_control,
// defer_loading, strict and input_examples have no OpenAI meaning and are left behind. Anthropic's
// own tools (web_search_20250305, code_execution_..., bash_..., text_editor_...) run on Anthropic's
// side or need its built-in schemas: they are left out and named, for X-Gateway-Dropped-Tools.

export interface ChatTools {
  fields: Record<string, unknown>;
  dropped: string[];
}

export function convertToChatTools(request: Pick<MessagesRequest, 'tools' | 'tool_choice'>): ChatTools {
  const functions: unknown[] = [];
  const dropped: string[] = [];
  for (const tool of request.tools ?? []) {
    const custom = tool.input_schema !== undefined && (tool.type === undefined || tool.type === 'custom');
    if (!custom) {
      dropped.push(tool.name);
      continue;
    }
    const definition: Record<string, unknown> = { name: tool.name, parameters: tool.input_schema };
    if (tool.description !== undefined) definition.description = tool.description;
    functions.push({ type: 'function', function: definition });
  }
  const fields: Record<string, unknown> = {};
  if (functions.length > 0) fields.tools = functions;
  const choice = request.tool_choice;
  if (choice === undefined || functions.length === 0) return { fields, dropped };
  switch (choice.type) {
    case 'auto':
      fields.tool_choice = 'auto';
      break;
    case 'any':
      fields.tool_choice = 'required';
      break;
    case 'tool':
      fields.tool_choice = { type: 'function', function: { name: choice.name } };
      break;
    case 'none':
      fields.tool_choice = 'none';
      break;
    default:
      choice satisfies never;
  }
  if ('disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true) fields.parallel_tool_calls = false;
  return { fields, dropped };
}
