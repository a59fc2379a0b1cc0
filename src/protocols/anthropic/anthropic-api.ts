import * as z from 'zod';

// Every Anthropic Messages wire shape this module reads, built once at module load.
// Objects are loose: Anthropic adds fields over time (service_tier, cache_creation, container, ...)
// and an unknown extra field must never turn a good answer into an error.
// Reference: https://docs.anthropic.com/en/api/messages

/**
 * Token counts. Every field is optional and nullable because message_delta carries only the
 * counts that changed, and cache fields are absent on older API versions.
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 */
const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});

export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

const textBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

const toolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});

const thinkingBlockSchema = z.looseObject({ type: z.literal('thinking'), thinking: z.string() });

const redactedThinkingBlockSchema = z.looseObject({ type: z.literal('redacted_thinking') });

const knownContentBlockTypes: ReadonlySet<string> = new Set(['text', 'tool_use', 'thinking', 'redacted_thinking']);

/**
 * A block type this gateway does not translate (server_tool_use, web_search_tool_result, ...).
 * Accepted and ignored, but only when its type is really unknown: a malformed `text` or
 * `tool_use` block must fail validation instead of silently vanishing from the answer.
 * It is reduced to `{type:'unknown'}` so that code narrowing on `type` gets exact types.
 */
const unknownContentBlockSchema = z
  .looseObject({ type: z.string() })
  .refine((block) => !knownContentBlockTypes.has(block.type), 'malformed content block')
  .transform(() => ({ type: 'unknown' as const }));

const contentBlockSchema = z.union([
  z.discriminatedUnion('type', [textBlockSchema, toolUseBlockSchema, thinkingBlockSchema, redactedThinkingBlockSchema]),
  unknownContentBlockSchema,
]);

/**
 * The non-streaming response body, also embedded (with empty content) in message_start.
 * Only what the translation reads is required; `type`, `role` and `model` are checked when present
 * but may be missing, as some Anthropic-compatible endpoints leave them out.
 */
export const anthropicMessageSchema = z.looseObject({
  id: z.string(),
  type: z.literal('message').optional(),
  role: z.literal('assistant').optional(),
  model: z.string().nullish(),
  content: z.array(contentBlockSchema),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: anthropicUsageSchema.nullish(),
});

export type AnthropicMessage = z.infer<typeof anthropicMessageSchema>;

/** The error object, shared by error response bodies and the stream's `error` event. https://docs.anthropic.com/en/api/errors */
const anthropicErrorObjectSchema = z.looseObject({ type: z.string(), message: z.string() });

/** The body of a non-2xx answer: `{type:'error', error:{type, message}, request_id}`. */
export const anthropicErrorSchema = z.looseObject({
  type: z.literal('error'),
  error: anthropicErrorObjectSchema,
  request_id: z.string().nullish(),
});

export type AnthropicError = z.infer<typeof anthropicErrorSchema>;

// Stream deltas. Delta types we do not translate (citations_delta, ...) pass as unknown ones,
// with the same rule as content blocks: a known type must be well formed.
const knownDeltaTypes: ReadonlySet<string> = new Set(['text_delta', 'input_json_delta', 'thinking_delta', 'signature_delta']);

const contentBlockDeltaSchema = z.union([
  z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('text_delta'), text: z.string() }),
    z.looseObject({ type: z.literal('input_json_delta'), partial_json: z.string() }),
    z.looseObject({ type: z.literal('thinking_delta'), thinking: z.string() }),
    z.looseObject({ type: z.literal('signature_delta'), signature: z.string() }),
  ]),
  z
    .looseObject({ type: z.string() })
    .refine((delta) => !knownDeltaTypes.has(delta.type), 'malformed content block delta')
    .transform(() => ({ type: 'unknown' as const })),
]);

/**
 * One server-sent event of a streamed message.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types
 */
export const anthropicStreamEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('message_start'), message: anthropicMessageSchema }),
  z.looseObject({ type: z.literal('content_block_start'), index: z.number().int(), content_block: contentBlockSchema }),
  z.looseObject({ type: z.literal('content_block_delta'), index: z.number().int(), delta: contentBlockDeltaSchema }),
  z.looseObject({ type: z.literal('content_block_stop'), index: z.number().int() }),
  z.looseObject({
    type: z.literal('message_delta'),
    delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }),
    usage: anthropicUsageSchema.nullish(),
  }),
  z.looseObject({ type: z.literal('message_stop') }),
  z.looseObject({ type: z.literal('ping') }),
  z.looseObject({ type: z.literal('error'), error: anthropicErrorObjectSchema }),
]);

export type AnthropicStreamEvent = z.infer<typeof anthropicStreamEventSchema>;

/**
 * The event types above. Anthropic may add new ones and asks clients to ignore those it does
 * not know, so the stream translator checks this set before validating.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming#other-events
 */
export const anthropicStreamEventTypes: ReadonlySet<string> = new Set<AnthropicStreamEvent['type']>([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
]);

// Request shapes. These are produced by this module, never parsed, so they are plain types.
// https://docs.anthropic.com/en/api/messages#body-messages

export interface AnthropicTextBlockParam {
  type: 'text';
  text: string;
}

/** https://docs.anthropic.com/en/docs/build-with-claude/vision */
export interface AnthropicImageBlockParam {
  type: 'image';
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
}

/** https://docs.anthropic.com/en/docs/build-with-claude/pdf-support */
export interface AnthropicDocumentBlockParam {
  type: 'document';
  source: { type: 'base64'; media_type: 'application/pdf'; data: string };
  title?: string;
}

export interface AnthropicToolUseBlockParam {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface AnthropicToolResultBlockParam {
  type: 'tool_result';
  tool_use_id: string;
  content: string | AnthropicTextBlockParam[];
}

export type AnthropicContentBlockParam =
  | AnthropicTextBlockParam
  | AnthropicImageBlockParam
  | AnthropicDocumentBlockParam
  | AnthropicToolUseBlockParam
  | AnthropicToolResultBlockParam;

export interface AnthropicMessageParam {
  role: 'user' | 'assistant';
  content: AnthropicContentBlockParam[];
}

/** https://docs.anthropic.com/en/api/messages#body-tools */
export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

/** https://docs.anthropic.com/en/api/messages#body-tool-choice */
export type AnthropicToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };
