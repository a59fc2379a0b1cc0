// Tool-use ids across the translation. Anthropic's clients expect `toolu_` ids and send the same id
// back in the next request's tool_result; an OpenAI-protocol provider wants its own call id back.
// The prefix is added on the way out and removed on the way in, so no state is kept: a call id
// `call_abc` is `toolu_call_abc` to the client, and `call_abc` again to the provider.

const PREFIX = 'toolu_';

export function toToolUseId(callId: string): string {
  return callId.startsWith(PREFIX) ? callId : `${PREFIX}${callId}`;
}

export function toToolCallId(toolUseId: string): string {
  return toolUseId.startsWith(PREFIX) && toolUseId.length > PREFIX.length ? toolUseId.slice(PREFIX.length) : toolUseId;
}
