import type { Context } from 'hono';
import type { CacheStatus } from '../api/gateway-headers.ts';
import type { LogRoute } from '../api/logs.ts';
import type { AppEnv } from '../app-env.ts';

// What the core tells a tracer: a request came in (a server span), an upstream attempt started
// and ended (a client span, one per attempt: fallbacks and retries each get one). The Node
// adapter implements it with OpenTelemetry when an OTLP endpoint is configured
// (src/adapter/node/otel/); everywhere else the W3C trace context is only passed on
// (pass-through-tracing.ts). Nothing given here may hold a prompt, an answer or a key.

export interface Tracing {
  /** Called once per request, before its route runs. */
  startRequest(c: Context<AppEnv>): RequestTrace;
}

export interface RequestTrace {
  /** What the whole request came to; a streamed answer's span ends once the runtime has sent it. */
  answered(status: number, routePattern: string): void;
  /** The gateway's own attributes of the request, as they become known. */
  annotate(attributes: RequestAttributes): void;
  startAttempt(attempt: AttemptStart): AttemptTrace;
}

export interface RequestAttributes {
  route?: LogRoute;
  cacheStatus?: CacheStatus;
}

export interface AttemptStart {
  /** The GenAI operation: `chat` for chat, messages and responses; `embeddings`. */
  operation: 'chat' | 'embeddings';
  /** The wire protocol spoken to the provider (gen_ai.provider.name). */
  protocol: string;
  /** The provider's name in this gateway. */
  providerName: string;
  /** The model asked of the upstream. */
  requestModel: string;
  /** The provider's base URL: only its host and port are kept. */
  baseUrl: string;
  route: LogRoute;
  cacheStatus?: CacheStatus;
}

export interface AttemptTrace {
  /** `traceparent` (and `tracestate`) for the upstream request of this attempt. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Reads the answer's model and finish reasons for end(): given only when the span keeps them
   * (a tracer that records; observe-answer.ts), so nothing is read or loaded otherwise.
   */
  readonly answerReader?: AnswerReader;
  /** Ends the attempt; only the first call counts. */
  end(result: AttemptResult): void;
}

/** The form of the answer the client is sent: Chat Completions (every translated answer), or a native dialect's. */
export type AnswerForm = 'chat' | 'messages' | 'responses';

export interface AnswerSummary {
  responseModel?: string;
  finishReasons?: string[];
}

export interface AnswerReader {
  /** A whole JSON answer. */
  json(form: AnswerForm, body: string): AnswerSummary;
  /** An event stream, fed as it is sent; the summary fills in as it goes. */
  stream(form: AnswerForm): { feed(text: string): void; summary: AnswerSummary };
}

export interface AttemptResult {
  responseModel?: string;
  inputTokens?: number;
  outputTokens?: number;
  finishReasons?: readonly string[];
  /** The gateway's error code for a failed attempt. */
  errorType?: string;
  /** The upstream's HTTP status, when it answered. */
  httpStatus?: number;
  costUsd?: number;
}
