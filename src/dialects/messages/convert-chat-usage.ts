import type { ChatCompletion } from '../../api/chat.ts';

// OpenAI's usage → Anthropic's. OpenAI counts the whole prompt in prompt_tokens and the part read
// from its cache inside it (and, where reported, the part written to it: cache_write_tokens);
// Anthropic's input_tokens leaves both out and counts them apart.
// https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
// https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance

export type MessagesUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
};

export function convertChatUsage(usage: ChatCompletion['usage']): MessagesUsage | undefined {
  if (!usage) return undefined;
  const details = (usage as { prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null }).prompt_tokens_details;
  const cached = details?.cached_tokens ?? 0;
  const written = details?.cache_write_tokens ?? 0;
  return { input_tokens: Math.max(0, usage.prompt_tokens - cached - written), output_tokens: usage.completion_tokens, cache_creation_input_tokens: written, cache_read_input_tokens: cached };
}

/** `msg_` and the chat completion's own id, so one answer keeps one id across dialects. */
export function toMessageId(completionId: string): string {
  return `msg_${completionId.replace(/^chatcmpl-/, '')}`;
}
