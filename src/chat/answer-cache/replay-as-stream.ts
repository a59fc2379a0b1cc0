import type { ChatCompletion } from '../../api/chat.ts';
import { DONE_FRAME, frameData } from '../../protocols/chat-protocol.ts';

// A cached chat.completion replayed as the SSE a stream request expects: the role, the content,
// each tool call whole, the finish reason, the usage chunk when the client asked for it, [DONE].

export function replayAsStream(completion: ChatCompletion, includeUsage: boolean): string {
  const head = { id: completion.id, object: 'chat.completion.chunk', created: completion.created, model: completion.model };
  const choice = completion.choices[0];
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    frameData(JSON.stringify({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] }));
  let text = chunk({ role: 'assistant', content: '' });
  if (choice?.message.content) text += chunk({ content: choice.message.content });
  for (const [index, call] of (choice?.message.tool_calls ?? []).entries()) {
    text += chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments } }] });
  }
  text += chunk({}, choice?.finish_reason ?? 'stop');
  if (includeUsage && completion.usage) text += frameData(JSON.stringify({ ...head, choices: [], usage: completion.usage }));
  return text + DONE_FRAME;
}
