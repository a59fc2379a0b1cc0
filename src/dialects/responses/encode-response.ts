import type { ChatCompletion } from '../../api/chat.ts';
import { buildResponseObject, convertChatUsage, outputItemId, statusOf, type ResponseFrame } from './build-response-object.ts';
import type { ResponseObject } from './responses-api.ts';

// A chat.completion → a Response object: a message item with one output_text part for the text,
// then one function_call item per tool call (with the namespace its function came from).

export function encodeResponse(completion: ChatCompletion, frame: ResponseFrame, namespaces: ReadonlyMap<string, string>): ResponseObject {
  const choice = completion.choices[0];
  const output: Array<Record<string, unknown> & { type: string; id: string }> = [];
  if (choice?.message.content) {
    output.push({ id: outputItemId(frame, 'msg', output.length), type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: choice.message.content, annotations: [], logprobs: [] }] });
  }
  for (const call of choice?.message.tool_calls ?? []) output.push(functionCallItem(outputItemId(frame, 'fc', output.length), call.id, call.function.name, call.function.arguments, 'completed', namespaces));
  return buildResponseObject(frame, { model: completion.model, output, usage: convertChatUsage(completion.usage), ...statusOf(choice?.finish_reason) });
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: string, namespaces: ReadonlyMap<string, string>): Record<string, unknown> & { type: string; id: string } {
  const item: Record<string, unknown> & { type: string; id: string } = { id, type: 'function_call', status, arguments: args, call_id: callId, name };
  const namespace = namespaces.get(name);
  if (namespace !== undefined) item.namespace = namespace;
  return item;
}
