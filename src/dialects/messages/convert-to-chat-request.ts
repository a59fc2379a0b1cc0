import type { MessagesRequest } from './messages-api.ts';
import { convertToChatMessages } from './convert-to-chat-messages.ts';
import { convertToChatTools } from './convert-to-chat-tools.ts';

// An Anthropic Messages request → the internal (OpenAI Chat Completions) request that the chat
// service sends to providers that do not speak Messages. Only fields with an OpenAI meaning are
// carried; cache_control, citations, context_management, container, mcp_servers, service_tier,
// top_k and thinking.display are dropped. https://docs.anthropic.com/en/api/messages

const MAX_USER_LENGTH = 64;

export interface ConvertedMessagesRequest {
  body: Record<string, unknown>;
  droppedTools: string[];
}

export function convertToChatRequest(request: MessagesRequest): ConvertedMessagesRequest {
  const tools = convertToChatTools(request);
  const body: Record<string, unknown> = { model: request.model, messages: convertToChatMessages(request), ...tools.fields };
  if (request.models !== undefined) body.models = request.models;
  if (request.max_tokens !== undefined) body.max_tokens = request.max_tokens;
  if (request.stop_sequences !== undefined && request.stop_sequences.length > 0) body.stop = request.stop_sequences;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.top_p !== undefined) body.top_p = request.top_p;
  // OpenAI refuses a `user` over 64 characters; Anthropic's user_id may be longer (Claude Code's is
  // "user_<hash>_account_<uuid>_session_<uuid>"), and its start is what names the user.
  if (typeof request.metadata?.user_id === 'string') body.user = request.metadata.user_id.slice(0, MAX_USER_LENGTH);
  const effort = reasoningEffort(request.thinking);
  if (effort !== undefined) body.reasoning_effort = effort;
  if (request.stream === true) {
    body.stream = true;
    // The dialect's last events need the usage, whatever the client asked for.
    body.stream_options = { include_usage: true };
  }
  return { body, droppedTools: tools.dropped };
}

/** Extended thinking's budget → OpenAI's reasoning effort (contract v1.2): ≤ 4,096 low, ≤ 16,384 medium, else high. */
function reasoningEffort(thinking: MessagesRequest['thinking']): 'low' | 'medium' | 'high' | undefined {
  if (thinking?.type !== 'enabled') return undefined;
  const budget = thinking.budget_tokens ?? 0;
  if (budget <= 4096) return 'low';
  if (budget <= 16_384) return 'medium';
  return 'high';
}
