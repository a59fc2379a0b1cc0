import type { TokenUsage } from '../protocols/chat-protocol.ts';
import { NO_TOKENS, type TokenCounts } from './token-counts.ts';

/**
 * The usage every protocol hands the ledger (OpenAI's shape) → the token kinds it records. OpenAI
 * reports cache reads in prompt_tokens_details.cached_tokens and reasoning in
 * completion_tokens_details.reasoning_tokens; cache writes are prompt_tokens_details.
 * cache_write_tokens, where OpenRouter reports them and where the Anthropic translation puts
 * cache_creation_input_tokens. https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 * https://openrouter.ai/docs/use-cases/usage-accounting
 */
export function readTokenCounts(usage: TokenUsage | undefined): TokenCounts {
  if (usage === undefined) return NO_TOKENS;
  return {
    promptTokens: count(usage.prompt_tokens),
    completionTokens: count(usage.completion_tokens),
    cachedPromptTokens: count(usage.prompt_tokens_details?.cached_tokens),
    cacheWriteTokens: count(usage.prompt_tokens_details?.cache_write_tokens),
    reasoningTokens: count(usage.completion_tokens_details?.reasoning_tokens),
  };
}

/** Upstreams send null, a string or nothing where a count belongs; none of it is a count. */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}
