// The token kinds a request is priced by, as the ledger records them. promptTokens counts the
// whole prompt, the part read from a provider's cache and the part written to it included (as
// OpenAI's prompt_tokens does); completionTokens counts reasoning tokens too.

export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens read from the provider's cache (OpenAI cached_tokens, Anthropic cache_read_input_tokens). */
  cachedPromptTokens: number;
  /** Prompt tokens written to the provider's cache (Anthropic cache_creation_input_tokens). */
  cacheWriteTokens: number;
  /** Completion tokens spent reasoning (OpenAI reasoning_tokens). */
  reasoningTokens: number;
}

export const NO_TOKENS: TokenCounts = { promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
