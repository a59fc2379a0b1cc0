import type { ChatCompletion } from '../api/chat.ts';
import type { ApiError } from '../errors/api-error.ts';
import type { OutboundRequest, StreamTranslator, TokenUsage } from '../protocols/chat-protocol.ts';
import type { StoredProvider } from '../storage/provider-store.ts';

// A client API served over the one chat exchange: the chat service runs the internal request (a
// Chat Completions request) through targets, fallbacks, breaker, cache, the upstream call and
// the ledger, and the dialect only says how its answer looks. Chat Completions itself has no
// dialect object (its answer is the internal one, untouched: the hot path). Anthropic Messages
// and OpenAI Responses each build one per request in src/dialects/<dialect>/.

export interface Dialect {
  /** Names the dialect in cache keys (its answers are not interchangeable with chat's). */
  readonly name: 'messages' | 'responses';
  /** Tools the translation could not carry to a chat upstream, for X-Gateway-Dropped-Tools. */
  readonly droppedTools: readonly string[];
  /** A whole chat answer as the dialect's JSON body. */
  encodeCompletion(completion: ChatCompletion): string;
  /** One answer's stream: chat SSE frames in (each `data:` event, the error frame included), the dialect's out. */
  createStreamEncoder(): DialectStreamEncoder;
  /** Awaited once a translated answer is complete, before its last bytes reach the client (a stored response). */
  settle?(): Promise<void>;
  /** Targets whose own protocol speaks this dialect get the request as it is. */
  readonly native?: NativeRoute;
  /** Why the request cannot be translated for a chat target (a native target still serves it). */
  readonly untranslatable?: ApiError;
}

export interface DialectStreamEncoder {
  encode(frames: string): string;
  /** True once the answer's end was encoded successfully (settle runs then). */
  readonly complete: boolean;
}

export interface NativeRoute {
  /** The client's request as received (the response cache keys native answers by it). */
  readonly body: Record<string, unknown>;
  serves(provider: StoredProvider): boolean;
  /** The client's request with the model rewritten and the stored key; the client's credentials never. */
  request(provider: StoredProvider, apiKey: string | undefined, upstreamModel: string): OutboundRequest;
  /** Checks a JSON answer and reads its usage; throws ProviderError when it is not an answer. */
  readAnswer(text: string): TokenUsage | undefined;
  /** Reads usage and the end from the upstream's events while their bytes go to the client as they came. */
  createStreamReader(): StreamTranslator;
}

/** Counting a prompt's tokens: the provider's own count where its protocol has one, else an estimate. */
export interface TokenCounter {
  serves(provider: StoredProvider): boolean;
  request(provider: StoredProvider, apiKey: string | undefined, upstreamModel: string): OutboundRequest;
  /** The count in the provider's answer; throws ProviderError when it has none. */
  read(text: string): number;
  /** For every other provider. */
  readonly estimate: number;
}
