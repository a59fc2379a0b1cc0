import type { ChatCompletionChunk } from '../../api/chat.ts';
import type { DialectStreamEncoder } from '../dialect.ts';
import { createChatFrameReader } from '../read-chat-frames.ts';
import { buildResponseObject, convertChatUsage, outputItemId, statusOf, type ResponseFrame } from './build-response-object.ts';
import { functionCallItem } from './encode-response.ts';
import type { ResponseObject } from './responses-api.ts';

// chat.completion.chunk frames → the Responses stream, each event with a rising sequence_number,
// in the order the openai SDK's ResponseStream and the AI SDK's OpenAI provider read it:
//   response.created, response.in_progress; per output item response.output_item.added, then for
//   a message response.content_part.added, response.output_text.delta..., response.output_text.done,
//   response.content_part.done, or for a function call response.function_call_arguments.delta...,
//   response.function_call_arguments.done; response.output_item.done; each item done before the
//   next is added; then response.completed (or response.incomplete when cut by length).
// A failure after the stream started is one `error` event.
// https://platform.openai.com/docs/api-reference/responses-streaming

type OutputItem = Record<string, unknown> & { type: string; id: string };
type OpenItem = { kind: 'message'; id: string; text: string } | { kind: 'call'; index: number; id: string; callId: string; name: string; args: string } | undefined;

export function createResponseEventEncoder(frame: ResponseFrame, namespaces: ReadonlyMap<string, string>, onComplete: (response: ResponseObject) => void): DialectStreamEncoder {
  let out = '';
  let sequence = 0;
  let started = false;
  let complete = false;
  let model = '';
  let open: OpenItem;
  const output: OutputItem[] = [];
  const startedCalls = new Set<number>();
  let finishReason: string | null | undefined;
  let usage: ChatCompletionChunk['usage'];

  const emit = (type: string, body: Record<string, unknown>) => {
    out += `event: ${type}\ndata: ${JSON.stringify({ type, ...body, sequence_number: sequence++ })}\n\n`;
  };
  const snapshot = (status: ResponseObject['status'], incompleteReason?: string) =>
    buildResponseObject(frame, { model, output: [...output], status, usage: status === 'in_progress' ? null : convertChatUsage(usage), incompleteReason });

  function start(chunk: ChatCompletionChunk | undefined) {
    if (started) return;
    started = true;
    model = chunk?.model ?? '';
    emit('response.created', { response: snapshot('in_progress') });
    emit('response.in_progress', { response: snapshot('in_progress') });
  }

  function close() {
    if (open === undefined) return;
    const outputIndex = output.length;
    let item: OutputItem;
    if (open.kind === 'message') {
      const part = { type: 'output_text', text: open.text, annotations: [], logprobs: [] };
      emit('response.output_text.done', { item_id: open.id, output_index: outputIndex, content_index: 0, text: open.text, logprobs: [] });
      emit('response.content_part.done', { item_id: open.id, output_index: outputIndex, content_index: 0, part });
      item = { id: open.id, type: 'message', status: 'completed', role: 'assistant', content: [part] };
    } else {
      emit('response.function_call_arguments.done', { item_id: open.id, output_index: outputIndex, name: open.name, arguments: open.args });
      item = functionCallItem(open.id, open.callId, open.name, open.args, 'completed', namespaces);
    }
    emit('response.output_item.done', { output_index: outputIndex, item });
    output.push(item);
    open = undefined;
  }

  function onChunk(chunk: ChatCompletionChunk) {
    start(chunk);
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const text = choice.delta?.content;
    if (typeof text === 'string' && text.length > 0) {
      if (open?.kind !== 'message') {
        close();
        open = { kind: 'message', id: outputItemId(frame, 'msg', output.length), text: '' };
        emit('response.output_item.added', { output_index: output.length, item: { id: open.id, type: 'message', status: 'in_progress', role: 'assistant', content: [] } });
        emit('response.content_part.added', { item_id: open.id, output_index: output.length, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
      }
      open.text += text;
      emit('response.output_text.delta', { item_id: open.id, output_index: output.length, content_index: 0, delta: text, logprobs: [] });
    }
    for (const call of choice.delta?.tool_calls ?? []) {
      if (!startedCalls.has(call.index)) {
        startedCalls.add(call.index);
        close();
        const callId = call.id ?? `call_${crypto.randomUUID().replaceAll('-', '')}`;
        open = { kind: 'call', index: call.index, id: outputItemId(frame, 'fc', output.length), callId, name: call.function?.name ?? '', args: '' };
        emit('response.output_item.added', { output_index: output.length, item: functionCallItem(open.id, callId, open.name, '', 'in_progress', namespaces) });
      }
      const partial = call.function?.arguments;
      if (partial && open?.kind === 'call' && open.index === call.index) {
        open.args += partial;
        emit('response.function_call_arguments.delta', { item_id: open.id, output_index: output.length, delta: partial });
      }
    }
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }

  function onDone() {
    start(undefined);
    close();
    const { status, incompleteReason } = statusOf(finishReason);
    const response = snapshot(status, incompleteReason);
    emit(status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
    complete = true;
    onComplete(response);
  }

  const read = createChatFrameReader((chatFrame) => {
    if (chatFrame.kind === 'chunk') onChunk(chatFrame.chunk);
    else if (chatFrame.kind === 'done') onDone();
    else {
      const { code, message } = chatFrame.error;
      // Both shapes clients read: the flat ResponseErrorEvent, and `error` (which the openai SDK throws).
      emit('error', { code, message, param: null, error: { type: 'server_error', code, message, param: null } });
    }
  });

  return {
    encode(frames) {
      read(frames);
      const text = out;
      out = '';
      return text;
    },
    get complete() {
      return complete;
    },
  };
}
