/**
 * OpenAI completion ids read `chatcmpl-...`; the Anthropic message id is kept inside so that logs
 * on both sides can be matched. An id already in OpenAI form is kept as is.
 */
export function createChatCompletionId(anthropicId: string): string {
  return anthropicId.startsWith('chatcmpl-') ? anthropicId : `chatcmpl-${anthropicId}`;
}
