import { createParser } from 'eventsource-parser';
import { ProviderError, type ApiError } from '../errors/api-error.ts';
import { toApiError } from '../errors/render-error.ts';
import { frameData, type ChatProtocol, type ResponseContext, type StreamTranslator, type TokenUsage } from '../protocols/chat-protocol.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { ClientAbortedError, type UpstreamExchange } from '../upstream/call-upstream.ts';

// An upstream SSE body as OpenAI chat.completion.chunk frames, one piece of text per network
// chunk (so each upstream chunk reaches the client as soon as it arrived, without a write per
// event), and, once it is over, what the usage ledger needs. A failure after the stream started
// becomes one `data: {"error":...}` frame and the end of the stream, without [DONE].
//
// Memory is bounded: the parser may hold at most MAX_EVENT_SIZE characters of a line or an event
// still incomplete (eventsource-parser's own maxBufferSize), and a complete event larger than that
// (one that arrived whole in a single network chunk) is refused too; either ends the stream.
//
// Once the upstream says the answer is complete (a finish_reason, a stop reason), the frames that
// follow (the finish chunk itself, the usage chunk, [DONE]) are held back until the stream's end,
// and its usage is on record before they go: a client cannot learn that the answer is complete,
// hang up and leave its usage unreported. Upstreams send these back to back, so the hold costs
// nothing; it is bounded by MAX_HELD_BACK (past it, frames go on as they come) and by the idle
// deadline. The upstream is not read any further once the client left (a disconnect aborts it at
// once): a stream left before its usage came is recorded with the gateway's estimate instead.

/** The largest SSE line or event taken from an upstream: 1 MiB (as characters of decoded text). */
export const MAX_EVENT_SIZE = 1024 * 1024;

/** Frames held back after the answer's end while its usage comes; past this they go on. */
const MAX_HELD_BACK = 64 * 1024;

const eventTooLarge = () => new ProviderError('The provider sent a stream event larger than 1 MiB', { limitBytes: MAX_EVENT_SIZE });

export interface StreamSummary {
  /** As the upstream reported it, if it did; final once `finished`. */
  usage: TokenUsage | undefined;
  /** The upstream said the answer was complete. */
  finished: boolean;
  /** UTF-8 bytes of the answer's text and tool-call arguments handed on. */
  textBytes: number;
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
 * settle runs once, with what the stream came to: awaited before the last frames (from the answer's
 * end to [DONE] or the error) are handed on, so that the usage is on record before the client
 * learns the answer is complete; when the client left first, it runs without anyone waiting for it.
 */
export interface TranslateStreamOptions {
  now: () => number;
  settle: (summary: StreamSummary) => Promise<void>;
  /** Keeps the runtime alive until a task ends (Workers' waitUntil): the stream's record, which nobody awaits when the client left. */
  defer: (task: Promise<unknown>) => void;
  /** Masks the secrets sent to this upstream in a failure's message (an upstream may repeat them in an error event). */
  scrub: (text: string) => string;
  /** Keep the chunks' data for the response cache. */
  collect: boolean;
  /** Counts the stream open from its first frame asked for until its last was handed on or the client left. */
  telemetry: Pick<Telemetry, 'streamOpened' | 'streamClosed'>;
  /** Reads a native dialect's stream in place of the protocol's translator (its bytes go on as they came). */
  reader?: StreamTranslator;
}

export function translateStream(exchange: UpstreamExchange, protocol: ChatProtocol, context: ResponseContext, options: TranslateStreamOptions): TranslatedStream {
  const { now, settle, defer, scrub, collect, telemetry, reader } = options;
  // A native dialect's stream is read (and its bytes relayed) by the dialect's own reader.
  const translator = reader ?? protocol.createStreamTranslator(context);
  const relay = translator.relaysText === true;
  let cancelled = false;
  let started = false;
  let settled = false;
  let firstFrameAt: number | null = null;
  // Our own output read back with the same SSE parser, only when the response cache needs it.
  const chunks: string[] | undefined = collect ? [] : undefined;
  const collector = chunks
    ? createParser({
        onEvent(event) {
          if (event.data !== '[DONE]') chunks.push(event.data);
        },
      })
    : undefined;

  // The stream's record is written even when the client leaves first. Workers ends a request's
  // work with its response unless told to wait, and told while the request is still running: so
  // the wait is registered now, for a promise that resolves once the record is written.
  let recorded!: () => void;
  defer(new Promise<void>((resolve) => (recorded = resolve)));

  /** Runs settle once, with what the stream came to. */
  async function settleOnce(outcome: number | string, failure: ApiError | undefined, withChunks: boolean): Promise<void> {
    if (settled) return;
    settled = true;
    try {
      await settle({ usage: translator.usage, finished: translator.finished, textBytes: translator.textBytes, outcome, firstFrameAt, failure, chunks: withChunks ? chunks : undefined });
    } finally {
      recorded();
    }
  }
  const settleLeft = (failure?: ApiError) => void settleOnce(499, failure, false).catch(() => undefined);

  async function* frames(): AsyncGenerator<string> {
    started = true;
    telemetry.streamOpened();
    let pending = '';
    let failure: ApiError | undefined;
    let completed = false;
    const parser = createParser({
      maxBufferSize: MAX_EVENT_SIZE,
      onError(error) {
        if (error.type === 'max-buffer-size-exceeded') failure ??= eventTooLarge();
      },
      onEvent(event) {
        if (failure !== undefined) return;
        if (event.data.length > MAX_EVENT_SIZE) {
          failure = eventTooLarge();
          return;
        }
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
      return text;
    };
    try {
      try {
        for await (const chunk of exchange.body) {
          const text = decoder.decode(chunk, { stream: true });
          parser.feed(text);
          if (relay) pending += text;
          if (failure !== undefined) break;
          // The frames that end the answer wait below until its usage is on record (see above); the
          // body is still read to its end, so the connection goes back to the pool instead of being cut.
          if (pending.length > 0 && (!translator.finished || pending.length > MAX_HELD_BACK)) yield take();
        }
        if (failure === undefined) pending += translator.onEnd();
      } catch (error) {
        if (cancelled || error instanceof ClientAbortedError) return;
        failure = toApiError(error);
      }
      if (failure !== undefined) {
        exchange.discard();
        failure.message = scrub(failure.message);
        pending += translator.frameError ? translator.frameError(failure) : frameData(JSON.stringify(failure.toJSON()));
      }
      completed = true;
      const last = take();
      await settleOnce(failure !== undefined ? failure.code : 200, failure, true);
      if (last.length > 0) yield last;
    } finally {
      exchange.discard();
      telemetry.streamClosed();
      if (!completed) settleLeft(failure);
    }
  }

  return {
    frames: frames(),
    cancel() {
      cancelled = true;
      exchange.discard();
      // Left before the first frame was asked for: the generator never runs, so nothing else records it.
      if (!started) settleLeft();
    },
  };
}
