import { ApiError } from '../errors/api-error.ts';
import type { TokenUsage } from '../protocols/chat-protocol.ts';
import { ClientAbortedError, type TracedAttempt } from '../upstream/call-upstream.ts';
import type { AnswerForm, AnswerSummary, AttemptStart, AttemptTrace, RequestTrace } from './tracing.ts';

// The client spans of one target: callUpstream starts one per attempt (and ends those it
// retries), the service ends the last with what the answer came to.

export interface TrackedAttempts {
  /** For callUpstream's policy; absent without a trace. */
  readonly policy: { startAttempt: () => TracedAttempt } | undefined;
  /** A reader of the answer's stream for the span's attributes, when the span keeps them. */
  observeStream(form: AnswerForm): { feed(text: string): void; summary: AnswerSummary } | undefined;
  /** The upstream answered in full. `body`: a JSON answer's text, read only when the span keeps it. */
  answered(form: AnswerForm, usage: TokenUsage | undefined, body?: string, observed?: AnswerSummary): void;
  /** A started answer failed (its error code) or the client left (null). */
  broke(errorCode: string | null, usage: TokenUsage | undefined, observed?: AnswerSummary): void;
  failed(error: unknown): void;
}

export function trackAttempts(trace: RequestTrace | undefined, start: AttemptStart): TrackedAttempts {
  let current: AttemptTrace | undefined;
  const end = (usage: TokenUsage | undefined, summary: AnswerSummary | undefined, errorType?: string) =>
    current?.end({ ...summary, inputTokens: usage?.prompt_tokens, outputTokens: usage?.completion_tokens, httpStatus: 200, errorType });
  return {
    policy: trace && { startAttempt: () => (current = trace.startAttempt(start)) },
    observeStream: (form) => current?.answerReader?.stream(form),
    answered: (form, usage, body, observed) => end(usage, observed ?? (body === undefined ? undefined : current?.answerReader?.json(form, body))),
    broke: (errorCode, usage, observed) => end(usage, observed, errorCode ?? 'CLIENT_CLOSED'),
    failed(error) {
      const upstreamStatus = error instanceof ApiError ? error.details?.upstreamStatus : undefined;
      current?.end({
        errorType: error instanceof ApiError ? error.code : error instanceof ClientAbortedError ? 'CLIENT_CLOSED' : 'INTERNAL_ERROR',
        httpStatus: typeof upstreamStatus === 'number' ? upstreamStatus : undefined,
      });
    },
  };
}
