import type { ResponsesInputItem, ResponsesRequest } from './responses-api.ts';
import { convertToChatMessages } from './convert-to-chat-messages.ts';
import { convertToChatTools } from './convert-to-chat-tools.ts';

// A Responses request (its input items already joined to a stored conversation's) → the internal
// Chat Completions request. Accepted and not forwarded, having no Chat Completions meaning:
// include, prompt_cache_key, client_metadata, reasoning.summary, truncation, service_tier,
// background (false), store, previous_response_id, metadata, text.verbosity.

export interface ConvertedResponsesRequest {
  body: Record<string, unknown>;
  droppedTools: string[];
  namespaces: Map<string, string>;
}

export function convertToChatRequest(request: ResponsesRequest, items: readonly ResponsesInputItem[]): ConvertedResponsesRequest {
  const tools = convertToChatTools(request);
  const body: Record<string, unknown> = { model: request.model, messages: convertToChatMessages(items, request.instructions), ...tools.fields };
  if (request.models !== undefined) body.models = request.models;
  if (request.max_output_tokens != null) body.max_tokens = request.max_output_tokens;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.top_p = request.top_p;
  if (request.user != null) body.user = request.user;
  if (request.reasoning?.effort != null) body.reasoning_effort = request.reasoning.effort;
  const format = responseFormat(request.text?.format);
  if (format !== undefined) body.response_format = format;
  if (request.stream === true) {
    body.stream = true;
    // The dialect's last events need the usage, whatever the client asked for.
    body.stream_options = { include_usage: true };
  }
  return { body, droppedTools: tools.dropped, namespaces: tools.namespaces };
}

/** text.format → response_format. https://platform.openai.com/docs/guides/structured-outputs */
function responseFormat(format: (Record<string, unknown> & { type: string }) | undefined): Record<string, unknown> | undefined {
  if (format?.type === 'json_object') return { type: 'json_object' };
  if (format?.type !== 'json_schema') return undefined;
  const schema: Record<string, unknown> = { name: format.name ?? 'response', schema: format.schema ?? {} };
  if (typeof format.strict === 'boolean') schema.strict = format.strict;
  if (typeof format.description === 'string') schema.description = format.description;
  return { type: 'json_schema', json_schema: schema };
}
