import type { AnthropicUsage } from './anthropic-api.ts';

/** OpenAI's usage object. https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
}

/**
 * Anthropic usage → OpenAI usage.
 *
 * Anthropic splits the prompt into three disjoint counts (uncached input, written to cache, read
 * from cache), while OpenAI's prompt_tokens counts the whole prompt and reports the cached part
 * inside it, so the three are summed and the cache reads become cached_tokens.
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 * https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 */
export function convertAnthropicUsage(usage: AnthropicUsage | null | undefined): OpenAIUsage {
  const cacheReadTokens = usage?.cache_read_input_tokens;
  const promptTokens = (usage?.input_tokens ?? 0) + (usage?.cache_creation_input_tokens ?? 0) + (cacheReadTokens ?? 0);
  const completionTokens = usage?.output_tokens ?? 0;
  const converted: OpenAIUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  if (cacheReadTokens !== undefined && cacheReadTokens !== null) {
    converted.prompt_tokens_details = { cached_tokens: cacheReadTokens };
  }
  return converted;
}
