import type { ResponsesRequest, ResponsesTool } from './responses-api.ts';

// Responses tools and tool_choice → Chat Completions'.
// https://platform.openai.com/docs/api-reference/responses/create#responses-create-tools
//
// A function tool becomes a chat function; a namespace is flattened into the function tools it
// holds (its name is remembered, so a call comes back as a function_call with that `namespace`).
// Hosted tools (web_search, file_search, code_interpreter, image_generation, computer_use, mcp,
// ...) and freeform custom tools run on OpenAI's side or need its grammar support: they are left
// out and named, for X-Gateway-Dropped-Tools.

export interface ChatTools {
  fields: Record<string, unknown>;
  dropped: string[];
  /** The namespace each flattened function came from. */
  namespaces: Map<string, string>;
}

export function convertToChatTools(request: Pick<ResponsesRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>): ChatTools {
  const functions: unknown[] = [];
  const dropped: string[] = [];
  const namespaces = new Map<string, string>();
  const add = (tool: ResponsesTool, namespace?: string) => {
    if (tool.type !== 'function' || typeof tool.name !== 'string') {
      dropped.push(namespace ? `${namespace}.${tool.name ?? tool.type}` : (tool.name ?? tool.type));
      return;
    }
    const definition: Record<string, unknown> = { name: tool.name, parameters: tool.parameters ?? { type: 'object', properties: {} } };
    if (typeof tool.description === 'string') definition.description = tool.description;
    if (typeof tool.strict === 'boolean') definition.strict = tool.strict;
    functions.push({ type: 'function', function: definition });
    if (namespace) namespaces.set(tool.name, namespace);
  };
  for (const tool of request.tools ?? []) {
    if (tool.type === 'namespace' && Array.isArray(tool.tools)) for (const inner of tool.tools as ResponsesTool[]) add(inner, tool.name);
    else add(tool);
  }
  const fields: Record<string, unknown> = {};
  if (functions.length === 0) return { fields, dropped, namespaces };
  fields.tools = functions;
  const choice = request.tool_choice;
  if (choice === 'auto' || choice === 'none' || choice === 'required') fields.tool_choice = choice;
  else if (typeof choice === 'object' && choice.type === 'function' && choice.name) fields.tool_choice = { type: 'function', function: { name: choice.name } };
  if (typeof request.parallel_tool_calls === 'boolean') fields.parallel_tool_calls = request.parallel_tool_calls;
  return { fields, dropped, namespaces };
}
