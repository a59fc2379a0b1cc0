// OpenAI's finish_reason → Anthropic's stop_reason.
// https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
// https://docs.anthropic.com/en/api/messages#response-stop-reason
//
// OpenAI does not say which stop sequence ended an answer; vLLM and some other servers do, in a
// `stop_reason` field of the choice. When that names one of the request's stop_sequences the answer
// ends with `stop_sequence`, else a `stop` is `end_turn`.

export interface AnthropicStop {
  stop_reason: 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence' | 'refusal';
  stop_sequence: string | null;
}

export function mapFinishReason(finishReason: string | null | undefined, matched: unknown, stopSequences: readonly string[] | undefined): AnthropicStop {
  switch (finishReason) {
    case 'length':
      return { stop_reason: 'max_tokens', stop_sequence: null };
    case 'tool_calls':
    case 'function_call':
      return { stop_reason: 'tool_use', stop_sequence: null };
    case 'content_filter':
      return { stop_reason: 'refusal', stop_sequence: null };
    default:
      if (typeof matched === 'string' && stopSequences?.includes(matched)) return { stop_reason: 'stop_sequence', stop_sequence: matched };
      return { stop_reason: 'end_turn', stop_sequence: null };
  }
}
