import { ProviderError } from '../../errors/api-error.ts';
import type { StreamTranslator, TokenUsage } from '../../protocols/chat-protocol.ts';
import { convertAnthropicUsage } from '../../protocols/anthropic/convert-anthropic-usage.ts';
import { countUtf8Bytes } from '../../text/count-utf8-bytes.ts';
import { frameMessagesError } from './render-messages-error.ts';

// An anthropic provider's Messages stream, relayed to a Messages client byte for byte, read only
// for the ledger: the prompt's counts from message_start, the output's from message_delta (which
// carries the stop reason: the answer is complete), the end at message_stop, and the answer's text
// bytes for an estimate when the stream ends before its usage. Its own `error` event reaches the client as it was sent (and ends the stream as
// a failure); a failure of the gateway's (a timeout, a cut stream) is one error event in
// Anthropic's shape. https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types

type UsageFields = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
};

export function readAnthropicEvents(): StreamTranslator {
  let done = false;
  let finished = false;
  let textBytes = 0;
  let counts: UsageFields = {};
  let usage: TokenUsage | undefined;
  const add = (fields: UsageFields | null | undefined) => {
    if (!fields) return;
    for (const [name, value] of Object.entries(fields)) if (typeof value === 'number') counts = { ...counts, [name]: value };
    usage = convertAnthropicUsage(counts);
  };
  return {
    relaysText: true,
    get done() {
      return done;
    },
    get usage() {
      return usage;
    },
    get finished() {
      return finished;
    },
    get textBytes() {
      return textBytes;
    },
    onEvent(data, event) {
      if (event === 'error') throw new ProviderError('The provider reported an error mid-stream', { upstreamStatus: 200 });
      if (event === 'content_block_delta') {
        const delta = (JSON.parse(data) as { delta?: { text?: unknown; partial_json?: unknown; thinking?: unknown } }).delta;
        for (const piece of [delta?.text, delta?.partial_json, delta?.thinking]) if (typeof piece === 'string') textBytes += countUtf8Bytes(piece);
      } else if (event === 'message_start') add((JSON.parse(data) as { message?: { usage?: UsageFields } }).message?.usage);
      else if (event === 'message_delta') {
        const delta = JSON.parse(data) as { usage?: UsageFields; delta?: { stop_reason?: unknown } };
        add(delta.usage);
        if (typeof delta.delta?.stop_reason === 'string') finished = true;
      } else if (event === 'message_stop') done = finished = true;
      return '';
    },
    onEnd() {
      if (!done) throw new ProviderError('The provider\'s stream ended before message_stop');
      return '';
    },
    frameError(error) {
      // The provider's own error event already went to the client as it came.
      return error.details?.upstreamStatus === 200 ? '' : frameMessagesError(error);
    },
  };
}
