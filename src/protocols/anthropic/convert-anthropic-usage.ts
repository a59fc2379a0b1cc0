import type { AnthropicUsage } from './anthropic-api.ts';

/** OpenAI's usage object, with OpenRouter's cache_write_tokens. https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number; cache_write_tokens?: number };
}

/**
 * Anthropic usage → OpenAI usage.
 *
 * Anthropic splits the prompt into three disjoint counts (uncached input, written to cache, read
 * from cache), while OpenAI's prompt_tokens counts the whole prompt and reports the cached part
 * inside it, so the three are summed, the cache reads become cached_tokens and the cache writes
 * cache_write_tokens (OpenAI has no name for them; OpenRouter's is used, so a client and the
 * gateway's ledger can price them at Anthropic's cache-write rate).
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 * https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 * https://openrouter.ai/docs/use-cases/usage-accounting
 */
export function convertAnthropicUsage(usage: AnthropicUsage | null | undefined): OpenAIUsage {
  const cacheReadTokens = usage?.cache_read_input_tokens;
  const cacheWriteTokens = usage?.cache_creation_input_tokens;
  const promptTokens = (usage?.input_tokens ?? 0) + (cacheWriteTokens ?? 0) + (cacheReadTokens ?? 0);
  const completionTokens = usage?.output_tokens ?? 0;
  const converted: OpenAIUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const hasRead = cacheReadTokens !== undefined && cacheReadTokens !== null;
  const hasWrite = cacheWriteTokens !== undefined && cacheWriteTokens !== null;
  if (hasRead || hasWrite) {
    converted.prompt_tokens_details = { cached_tokens: cacheReadTokens ?? 0, ...(hasWrite ? { cache_write_tokens: cacheWriteTokens } : {}) };
  }
  return converted;
}
