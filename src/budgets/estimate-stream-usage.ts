import type { TokenUsage } from '../protocols/chat-protocol.ts';
import { estimatePromptTokens } from './estimate-prompt-tokens.ts';
import { estimateTokens } from './estimate-tokens.ts';

// What a stream is recorded as having cost. The upstream's own figure when it reported one for the
// whole answer (its usage arrived after the answer's end). Otherwise (the client hung up first,
// the stream failed, or the server never reports usage) an estimate, flagged as one: the prompt as
// the upstream reported it (Anthropic does at the start) or else estimated from the request body,
// and the answer from the text the gateway passed on, or what the upstream reported so far if that
// is more. Never 0 for a stream that went out, so hanging up cannot dodge a budget.

export interface StreamOutcome {
  /** Token usage as the upstream reported it, if it did (possibly only the prompt's). */
  usage: TokenUsage | undefined;
  /** The upstream said the answer was complete (a finish_reason, a stop_reason). */
  finished: boolean;
  /** UTF-8 bytes of the answer's text and tool-call arguments passed on. */
  textBytes: number;
}

export function estimateStreamUsage(outcome: StreamOutcome, body: Record<string, unknown>): TokenUsage & { estimated?: true } {
  const reported = outcome.usage;
  if (reported !== undefined && outcome.finished) return reported;
  // The prompt as reported keeps its cache reads and writes, so that they are priced at their own rates.
  const prompt = reported?.prompt_tokens ? { prompt_tokens: reported.prompt_tokens, ...(reported.prompt_tokens_details ? { prompt_tokens_details: reported.prompt_tokens_details } : {}) } : { prompt_tokens: estimatePromptTokens(body) };
  return {
    ...prompt,
    completion_tokens: Math.max(reported?.completion_tokens ?? 0, estimateTokens(outcome.textBytes)),
    estimated: true,
  };
}
