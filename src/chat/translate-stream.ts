import { createParser } from 'eventsource-parser';
import type { ApiError } from '../errors/api-error.ts';
import { toApiError } from '../errors/render-error.ts';
import { frameData, type ChatProtocol, type ResponseContext, type StreamTranslator, type TokenUsage } from '../protocols/chat-protocol.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { ClientAbortedError, type UpstreamExchange } from '../upstream/call-upstream.ts';

// An upstream SSE body as OpenAI chat.completion.chunk frames, one piece of text per network
// chunk (so each upstream chunk reaches the client as soon as it arrived, without a write per
// event), and, once it is over, what the usage ledger needs. A failure after the stream started
// becomes one `data: {"error":...}` frame and the end of the stream, without [DONE].

export interface StreamSummary {
  usage: TokenUsage | undefined;
  /** 200, the error code the stream ended with, or 499 when the client left first. */
  outcome: number | string;
  /** Epoch milliseconds of the first frame, or null if none was produced. */
  firstFrameAt: number | null;
  failure: ApiError | undefined;
  /** With `collect`: the data of every chunk event the client received ([DONE] aside). */
  chunks: string[] | undefined;
}

export interface TranslatedStream {
  frames: AsyncIterable<string>;
  /** The client left: stop reading the upstream at once. */
  cancel(): void;
}

/**
 * settle runs once, with what the stream came to: awaited before the last frame (the one with
 * [DONE] or the error) is handed on, so that the usage is on record before the client learns the
 * answer is complete; when the client left first, it runs without anyone waiting for it.
 */
export interface TranslateStreamOptions {
  now: () => number;
  settle: (summary: StreamSummary) => Promise<void>;
  /** Keep the chunks' data for the response cache. */
  collect: boolean;
  /** Counts the stream open from its first frame asked for until its last was handed on or the client left. */
  telemetry: Pick<Telemetry, 'streamOpened' | 'streamClosed'>;
  /** Reads a native dialect's stream in place of the protocol's translator (its bytes go on as they came). */
  reader?: StreamTranslator;
  /** Sees every piece of text the client is sent (a trace reads the answer's model and finish reasons from it). */
  observe?: (text: string) => void;
}

export function translateStream(exchange: UpstreamExchange, protocol: ChatProtocol, context: ResponseContext, options: TranslateStreamOptions): TranslatedStream {
  const { now, settle, collect, telemetry, reader, observe } = options;
  let cancelled = false;
  // Our own output read back with the same SSE parser, only when the response cache needs it.
  const chunks: string[] | undefined = collect ? [] : undefined;
  const collector = chunks
    ? createParser({
        onEvent(event) {
          if (event.data !== '[DONE]') chunks.push(event.data);
        },
      })
    : undefined;

  async function* frames(): AsyncGenerator<string> {
    telemetry.streamOpened();
    const translator = reader ?? protocol.createStreamTranslator(context);
    const relay = translator.relaysText === true;
    let pending = '';
    let failure: ApiError | undefined;
    let firstFrameAt: number | null = null;
    let completed = false;
    const parser = createParser({
      onEvent(event) {
        if (failure !== undefined) return;
        try {
          pending += translator.onEvent(event.data, event.event);
        } catch (error) {
          failure = toApiError(error);
        }
      },
    });
    const decoder = new TextDecoder();
    const take = () => {
      if (pending.length > 0) firstFrameAt ??= now();
      const text = pending;
      pending = '';
      collector?.feed(text);
      observe?.(text);
      return text;
    };
    try {
      try {
        for await (const chunk of exchange.body) {
          const text = decoder.decode(chunk, { stream: true });
          parser.feed(text);
          if (relay) pending += text;
          if (failure !== undefined) break;
          // The frames that end the stream wait below until its usage is on record; the body is
          // still read to its end, so the connection goes back to the pool instead of being cut.
          if (pending.length > 0 && !translator.done) yield take();
        }
        if (failure === undefined) pending += translator.onEnd();
      } catch (error) {
        if (cancelled || error instanceof ClientAbortedError) return;
        failure = toApiError(error);
      }
      if (failure !== undefined) {
        exchange.discard();
        pending += translator.frameError ? translator.frameError(failure) : frameData(JSON.stringify(failure.toJSON()));
      }
      completed = true;
      const last = take();
      await settle({ usage: translator.usage, outcome: failure !== undefined ? failure.code : 200, firstFrameAt, failure, chunks });
      if (last.length > 0) yield last;
    } finally {
      exchange.discard();
      telemetry.streamClosed();
      if (!completed) void settle({ usage: translator.usage, outcome: 499, firstFrameAt, failure, chunks: undefined });
    }
  }

  return {
    frames: frames(),
    cancel() {
      cancelled = true;
      exchange.discard();
    },
  };
}
