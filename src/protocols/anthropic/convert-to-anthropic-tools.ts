import type { AnthropicTool, AnthropicToolChoice } from './anthropic-api.ts';
import type { OpenAIChatRequest } from './openai-chat-api.ts';

/**
 * OpenAI `tools`, `tool_choice` and `parallel_tool_calls` → Anthropic `tools` and `tool_choice`.
 *
 * - tool_choice: auto → auto, required → any, none → none, a named function → tool.
 * - parallel_tool_calls:false → disable_parallel_tool_use:true, which Anthropic keeps on tool_choice
 *   (an `auto` choice is made up when the client named none). `none` has no such flag.
 * - Without tools there is nothing to choose from, so tool_choice and parallel_tool_calls are dropped.
 *
 * OpenAI: https://platform.openai.com/docs/api-reference/chat/create#chat-create-tool_choice
 * Anthropic: https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use
 */
export function convertToAnthropicTools(
  request: Pick<OpenAIChatRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>,
): { tools?: AnthropicTool[]; tool_choice?: AnthropicToolChoice } {
  const openAITools = request.tools;
  if (openAITools === undefined || openAITools === null || openAITools.length === 0) return {};

  const tools = openAITools.map(({ function: definition }): AnthropicTool => {
    // Anthropic requires an input_schema; OpenAI lets a function omit `parameters` to mean "no
    // arguments", which is this empty object schema. https://docs.anthropic.com/en/api/messages#body-tools
    const tool: AnthropicTool = { name: definition.name, input_schema: definition.parameters ?? { type: 'object', properties: {} } };
    if (definition.description !== undefined && definition.description !== null) tool.description = definition.description;
    return tool;
  });

  const disableParallelToolUse = request.parallel_tool_calls === false;
  const choice = request.tool_choice;
  let toolChoice: AnthropicToolChoice | undefined;
  if (choice === 'none') {
    toolChoice = { type: 'none' };
  } else if (choice === 'required') {
    toolChoice = { type: 'any' };
  } else if (choice === 'auto') {
    toolChoice = { type: 'auto' };
  } else if (choice !== undefined && choice !== null) {
    toolChoice = { type: 'tool', name: choice.function.name };
  } else if (disableParallelToolUse) {
    toolChoice = { type: 'auto' };
  }
  if (disableParallelToolUse && toolChoice !== undefined && toolChoice.type !== 'none') {
    toolChoice.disable_parallel_tool_use = true;
  }

  return toolChoice === undefined ? { tools } : { tools, tool_choice: toolChoice };
}
