import { estimatePromptTokens } from './estimate-prompt-tokens.ts';

// The most tokens a request may cost, reserved against its key's budget before it goes out: the
// prompt's estimate plus the completion limit it asked for (OpenAI's max_completion_tokens, which
// supersedes max_tokens; max_tokens; the Responses API's max_output_tokens), times the number of
// choices (`n`). A request that sets no limit is reserved DEFAULT_COMPLETION_TOKENS, the same
// limit the Anthropic translation sends when the client set none.

export const DEFAULT_COMPLETION_TOKENS = 4096;

const limitFields = ['max_completion_tokens', 'max_tokens', 'max_output_tokens'] as const;

export interface WorstCaseTokens {
  prompt: number;
  completion: number;
  total: number;
}

export function worstCaseTokens(body: Record<string, unknown>): WorstCaseTokens {
  const limit = limitFields.map((field) => body[field]).find(isPositiveInteger) ?? DEFAULT_COMPLETION_TOKENS;
  const choices = isPositiveInteger(body.n) ? body.n : 1;
  const prompt = estimatePromptTokens(body);
  const completion = limit * choices;
  return { prompt, completion, total: prompt + completion };
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** An embeddings request's worst case: its input, with no answer to generate. */
export function promptOnlyTokens(body: Record<string, unknown>): WorstCaseTokens {
  const prompt = estimatePromptTokens(body);
  return { prompt, completion: 0, total: prompt };
}
