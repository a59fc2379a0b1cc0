import type { ChatCompletion, ChatCompletionChunk } from '../../api/chat.ts';

// A stream's chunks as the one chat.completion the same request would have got without
// `stream`: content and tool-call arguments concatenated in order, the last finish reason, the
// usage. How OpenAI's chunks add up: https://platform.openai.com/docs/api-reference/chat-streaming

type ToolCall = NonNullable<ChatCompletion['choices'][number]['message']['tool_calls']>[number];

export function assembleCompletion(chunks: ChatCompletionChunk[]): ChatCompletion {
  const first = chunks[0];
  let content: string | null = null;
  let finishReason: string | null = null;
  const toolCalls: ToolCall[] = [];
  let usage: ChatCompletion['usage'] = null;
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (typeof choice.delta.content === 'string') content = (content ?? '') + choice.delta.content;
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = (toolCalls[delta.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.function.name += delta.function.name;
      if (delta.function?.arguments) call.function.arguments += delta.function.arguments;
    }
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
  return {
    id: first?.id ?? '',
    object: 'chat.completion',
    created: first?.created ?? 0,
    model: first?.model ?? '',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, ...(toolCalls.length > 0 ? { tool_calls: toolCalls.filter(Boolean) } : {}) },
        finish_reason: finishReason,
      },
    ],
    usage,
  };
}
