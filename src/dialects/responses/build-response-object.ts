import type { ChatCompletion } from '../../api/chat.ts';
import type { ResponseObject, ResponsesRequest } from './responses-api.ts';

// The Response object around an answer: the request's settings echoed as OpenAI echoes them, the
// output items, the status and the usage. https://platform.openai.com/docs/api-reference/responses/object

export interface ResponseFrame {
  id: string;
  createdAt: number;
  request: ResponsesRequest;
}

/** A new response's frame; its output items' ids are made from its own (see outputItemId). */
export function newResponseFrame(request: ResponsesRequest, now: () => number): ResponseFrame {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return { id: `resp_${hex}`, createdAt: Math.floor(now() / 1000), request };
}

const ITEM_ID = /^(?:msg|fc)_([0-9a-f]{48})[0-9a-f]{4}$/;

/**
 * An output item's id: the prefix OpenAI uses for its kind, the response's own 48 hex digits and
 * the item's place, so an `item_reference` to it (what the AI SDK sends for an earlier turn's
 * items when `store` is on) leads back to the stored response that holds it.
 */
export function outputItemId(frame: ResponseFrame, prefix: 'msg' | 'fc', index: number): string {
  return `${prefix}_${frame.id.slice('resp_'.length)}${index.toString(16).padStart(4, '0')}`;
}

/** The response an output item id was made for, if it is one of ours. */
export function responseIdOfItem(itemId: string): string | undefined {
  const match = ITEM_ID.exec(itemId);
  return match ? `resp_${match[1]}` : undefined;
}

export interface ResponseOutcome {
  model: string;
  output: Array<Record<string, unknown> & { type: string; id: string }>;
  status: ResponseObject['status'];
  usage: ResponseObject['usage'];
  incompleteReason?: string;
  error?: { code: string; message: string };
}

export function buildResponseObject(frame: ResponseFrame, outcome: ResponseOutcome): ResponseObject {
  const { request } = frame;
  return {
    id: frame.id,
    object: 'response',
    created_at: frame.createdAt,
    status: outcome.status,
    background: false,
    error: outcome.error ?? null,
    incomplete_details: outcome.incompleteReason === undefined ? null : { reason: outcome.incompleteReason },
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    metadata: request.metadata ?? {},
    model: outcome.model,
    output: outcome.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: (request.reasoning as { summary?: unknown } | null | undefined)?.summary ?? null },
    store: request.store !== false,
    temperature: request.temperature ?? 1,
    text: request.text ?? { format: { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    usage: outcome.usage,
    user: request.user ?? null,
  };
}

/** Chat usage → Responses usage. https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage */
export function convertChatUsage(usage: ChatCompletion['usage']): ResponseObject['usage'] {
  if (!usage) return null;
  const details = usage as { prompt_tokens_details?: { cached_tokens?: number } | null; completion_tokens_details?: { reasoning_tokens?: number } | null };
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: details.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: details.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
  };
}

/** finish_reason → status and, when cut short, why. */
export function statusOf(finishReason: string | null | undefined): { status: 'completed' | 'incomplete'; incompleteReason?: string } {
  if (finishReason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (finishReason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed' };
}
