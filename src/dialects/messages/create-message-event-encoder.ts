import type { ChatCompletionChunk } from '../../api/chat.ts';
import type { ErrorCode } from '../../api/errors.ts';
import type { DialectStreamEncoder } from '../dialect.ts';
import { tokensForCharacters } from '../estimate-tokens.ts';
import { createChatFrameReader } from '../read-chat-frames.ts';
import { convertChatUsage, toMessageId } from './convert-chat-usage.ts';
import { mapFinishReason } from './map-finish-reason.ts';
import { toToolUseId } from './map-tool-use-id.ts';
import { frameMessagesError } from './render-messages-error.ts';

// chat.completion.chunk frames → Anthropic's stream, in the order its clients' accumulators
// (the SDK's MessageStream, Claude Code) require:
//   message_start (usage.input_tokens: the chunk's own count if it has one, else the estimate,
//   never 0 for a prompt that is not empty), then per content block content_block_start, its
//   deltas (text_delta, or input_json_delta for a tool's arguments), content_block_stop, each
//   block closed before the next opens; then message_delta (stop_reason, stop_sequence, usage with
//   the provider's own counts), message_stop.
// https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types
//
// OpenAI streams each tool call whole before the next (its `index` rises); a fragment for a call
// whose block was already closed cannot be placed in Anthropic's stream and is left out.

export interface MessageEventEncoderOptions {
  estimatedInputTokens: number;
  stopSequences: readonly string[] | undefined;
}

type OpenBlock = { kind: 'text' } | { kind: 'tool'; call: number } | undefined;

export function createMessageEventEncoder(options: MessageEventEncoderOptions): DialectStreamEncoder {
  let out = '';
  let started = false;
  let complete = false;
  let nextIndex = 0;
  let open: OpenBlock;
  const startedCalls = new Set<number>();
  let finishReason: string | null | undefined;
  let matchedStop: unknown;
  let usage: ChatCompletionChunk['usage'];
  let deliveredCharacters = 0;

  const emit = (type: string, body: Record<string, unknown>) => {
    out += `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
  };

  function start(chunk: ChatCompletionChunk | undefined) {
    if (started) return;
    started = true;
    const counted = convertChatUsage(chunk?.usage);
    emit('message_start', {
      message: {
        id: toMessageId(chunk?.id ?? crypto.randomUUID()),
        type: 'message',
        role: 'assistant',
        model: chunk?.model ?? '',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: counted?.input_tokens || options.estimatedInputTokens, output_tokens: 0 },
      },
    });
  }

  function close() {
    if (open === undefined) return;
    emit('content_block_stop', { index: nextIndex - 1 });
    open = undefined;
  }

  function openBlock(block: OpenBlock, contentBlock: Record<string, unknown>) {
    close();
    emit('content_block_start', { index: nextIndex, content_block: contentBlock });
    nextIndex += 1;
    open = block;
  }

  function onChunk(chunk: ChatCompletionChunk) {
    start(chunk);
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const text = choice.delta?.content;
    if (typeof text === 'string' && text.length > 0) {
      if (open?.kind !== 'text') openBlock({ kind: 'text' }, { type: 'text', text: '' });
      deliveredCharacters += text.length;
      emit('content_block_delta', { index: nextIndex - 1, delta: { type: 'text_delta', text } });
    }
    for (const call of choice.delta?.tool_calls ?? []) {
      if (!startedCalls.has(call.index)) {
        startedCalls.add(call.index);
        const id = toToolUseId(call.id ?? `call_${crypto.randomUUID().replaceAll('-', '')}`);
        openBlock({ kind: 'tool', call: call.index }, { type: 'tool_use', id, name: call.function?.name ?? '', input: {} });
      }
      const partial = call.function?.arguments;
      if (partial && open?.kind === 'tool' && open.call === call.index) {
        deliveredCharacters += partial.length;
        emit('content_block_delta', { index: nextIndex - 1, delta: { type: 'input_json_delta', partial_json: partial } });
      }
    }
    if (choice.finish_reason) {
      finishReason = choice.finish_reason;
      matchedStop = (choice as { stop_reason?: unknown }).stop_reason;
    }
  }

  function onDone() {
    start(undefined);
    close();
    const counted = convertChatUsage(usage);
    const finalUsage: Record<string, number> = counted
      ? { input_tokens: counted.input_tokens, cache_read_input_tokens: counted.cache_read_input_tokens, output_tokens: counted.output_tokens }
      : { output_tokens: tokensForCharacters(deliveredCharacters) };
    emit('message_delta', { delta: mapFinishReason(finishReason, matchedStop, options.stopSequences), usage: finalUsage });
    emit('message_stop', {});
    complete = true;
  }

  const read = createChatFrameReader((frame) => {
    if (frame.kind === 'chunk') onChunk(frame.chunk);
    else if (frame.kind === 'done') onDone();
    else {
      const code = frame.error.code as ErrorCode;
      out += frameMessagesError({ status: code === 'UPSTREAM_TIMEOUT' ? 504 : code === 'INTERNAL_ERROR' ? 500 : 502, code, message: frame.error.message, details: frame.error.details });
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
