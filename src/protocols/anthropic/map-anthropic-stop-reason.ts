/** The finish reasons a chat.completion choice can carry (function_call is legacy, never produced here). */
export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * Anthropic `stop_reason` → OpenAI `finish_reason`.
 * Anthropic: https://docs.anthropic.com/en/api/handling-stop-reasons
 * OpenAI: https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 *
 * `null` stays `null`: in a stream, message_start carries no stop reason yet.
 * An unknown reason maps to `stop` because Anthropic adds reasons over time and the
 * message did end normally from the client's point of view.
 */
export function mapAnthropicStopReason(reason: string | null | undefined): OpenAIFinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case 'end_turn':
    case 'stop_sequence':
    // pause_turn: a server tool paused a long turn; the answer so far is complete text.
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    // The context window filled up before max_tokens: the output was cut short all the same.
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}
