import type { ApiError } from '../errors/api-error.ts';
import type { StoredProvider } from '../storage/provider-store.ts';

// What the chat, models and check routes need from a wire protocol. One implementation per
// routingMethod: protocols/openai (pass-through) and protocols/anthropic (translation).

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ResponseContext {
  /** The model the client asked for (after routing), used where the upstream gives none. */
  model: string;
  /** Unix seconds, for answers the proxy builds itself. */
  created: number;
  /** Whether the client asked for the usage chunk (stream_options.include_usage). */
  includeUsage: boolean;
}

/**
 * Token counts in OpenAI's shape, whatever the protocol: prompt_tokens is the whole prompt, cache
 * reads and writes included; cache_write_tokens is OpenRouter's name, also used for Anthropic's
 * cache_creation_input_tokens. https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 */
export interface TokenUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export interface ConvertedResponse {
  body: string;
  usage?: TokenUsage;
}

/**
 * Turns the upstream's SSE events into OpenAI `chat.completion.chunk` SSE frames. Returns the
 * framed text to write ('' for nothing); throws an ApiError for an upstream error event.
 */
export interface StreamTranslator {
  /** `event` is the SSE event name (undefined for the default "message"). */
  onEvent(data: string, event: string | undefined): string;
  /** True once the upstream has said the stream is over ([DONE]): nothing more is handed on. */
  readonly done: boolean;
  /**
   * True once the upstream has said the answer is complete (a finish_reason, a stop reason): what
   * may still come is its usage and the stream's end.
   */
  readonly finished: boolean;
  /** Token usage as the upstream reported it, once it has (for the usage ledger); final once `finished`. */
  readonly usage: TokenUsage | undefined;
  /** UTF-8 bytes of the answer's text and tool-call arguments handed on so far (for an estimate when no usage comes). */
  readonly textBytes: number;
  /** The upstream body ended: the frames still owed, or an ApiError if it ended too early. */
  onEnd(): string;
  /** The upstream's text is itself the answer (a native dialect): events are only read, never re-framed. */
  readonly relaysText?: boolean;
  /** How a failure after the stream started is told; chat's `data: {"error":...}` frame when absent. */
  frameError?(error: ApiError): string;
}

export interface ChatProtocol {
  /** apiKey: undefined for a provider that has none; then no credential header is sent. */
  chatRequest(provider: StoredProvider, apiKey: string | undefined, body: Record<string, unknown>, upstreamModel: string): OutboundRequest;
  /** Non-streamed answer: the upstream's body text → the chat.completion JSON text to send. */
  convertResponse(text: string, context: ResponseContext): ConvertedResponse;
  createStreamTranslator(context: ResponseContext): StreamTranslator;
  modelsRequest(provider: StoredProvider, apiKey: string | undefined): OutboundRequest;
  /** The upstream's model list → `[{id, ...}]`; throws ProviderError on a malformed list. */
  parseModels(text: string): Array<Record<string, unknown> & { id: string }>;
  /** The human message inside an upstream error body, if there is one. */
  errorMessage(text: string): string | undefined;
}

/** One SSE frame: every line of the data gets its own `data:` field, as the SSE spec requires. */
export function frameData(data: string): string {
  return data.includes('\n') ? `data: ${data.split('\n').join('\ndata: ')}\n\n` : `data: ${data}\n\n`;
}

export const DONE_FRAME = 'data: [DONE]\n\n';
