import * as z from 'zod';
import { MAX_FALLBACK_MODELS, MAX_MESSAGES } from '../../api/chat.ts';

// POST /messages: Anthropic's Messages request as the gateway reads it, and the answer it builds
// when the provider does not speak Messages itself. Objects are loose: a field the gateway does
// not know passes through to an anthropic provider, and is left out of a translation.
// https://docs.anthropic.com/en/api/messages

const modelNameSchema = z.string().min(1).max(512);

const cacheControl = { cache_control: z.unknown().optional() };

const textBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string(), ...cacheControl });

/** https://docs.anthropic.com/en/docs/build-with-claude/vision */
const imageBlockSchema = z.looseObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string() }),
    z.looseObject({ type: z.literal('url'), url: z.string().min(1) }),
  ]),
});

const toolUseBlockSchema = z.looseObject({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string().min(1), input: z.unknown() });

/** https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#handling-tool-use-and-tool-result-content-blocks */
const toolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.union([textBlockSchema, imageBlockSchema, z.looseObject({ type: z.string() })]))]).optional(),
  is_error: z.boolean().optional(),
});

/** Blocks a translation reads; any other type (thinking, document, server tool results) is named by its type. */
const contentBlockSchema = z.union([textBlockSchema, imageBlockSchema, toolUseBlockSchema, toolResultBlockSchema, z.looseObject({ type: z.string() })]);

export type MessagesContentBlock = z.infer<typeof contentBlockSchema>;

/** Claude Code also sends `system` turns inside `messages` (its environment notes). */
const messageParamSchema = z.looseObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});

export type MessagesMessageParam = z.infer<typeof messageParamSchema>;

/** A custom tool has an input_schema; Anthropic's own (server and client-defined) tools have a versioned `type` instead. */
const toolSchema = z.looseObject({
  name: z.string().min(1),
  type: z.string().optional(),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
});

export type MessagesTool = z.infer<typeof toolSchema>;

/** https://docs.anthropic.com/en/api/messages#body-tool-choice */
const toolChoiceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('none') }),
]);

export type MessagesToolChoice = z.infer<typeof toolChoiceSchema>;

/** https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking */
const thinkingSchema = z.looseObject({ type: z.string(), budget_tokens: z.number().int().optional() });

export const messagesRequestSchema = z.looseObject({
  /** `<provider id or name>/<model>`. */
  model: modelNameSchema,
  /** Fallbacks, each `<provider>/<model>`, tried in order after `model`; never forwarded. */
  models: z.array(modelNameSchema).max(MAX_FALLBACK_MODELS).optional(),
  messages: z.array(messageParamSchema).min(1).max(MAX_MESSAGES),
  system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
  max_tokens: z.number().int().positive().optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  stream: z.boolean().nullish(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingSchema.optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
});

export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

/** POST /messages/count_tokens: the same prompt, without what only generation needs. https://docs.anthropic.com/en/api/messages-count-tokens */
export const countTokensRequestSchema = z.looseObject({
  model: modelNameSchema,
  messages: z.array(messageParamSchema).min(1).max(MAX_MESSAGES),
  system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
  tools: z.array(toolSchema).optional(),
});

export const countTokensAnswerSchema = z.object({ input_tokens: z.number().int() }).meta({ id: 'MessagesTokenCount' });

const usageSchema = z.looseObject({
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cache_creation_input_tokens: z.number().int().nullish(),
  cache_read_input_tokens: z.number().int().nullish(),
});

/** The Message object, as the gateway builds it and as an anthropic provider sends it. */
export const messageAnswerSchema = z
  .looseObject({
    id: z.string(),
    type: z.literal('message'),
    role: z.literal('assistant'),
    model: z.string(),
    content: z.array(z.looseObject({ type: z.string() })),
    stop_reason: z.string().nullable(),
    stop_sequence: z.string().nullable(),
    usage: usageSchema,
  })
  .meta({ id: 'Message', description: 'Anthropic\'s Message object: https://docs.anthropic.com/en/api/messages' });

export type MessageAnswer = z.infer<typeof messageAnswerSchema>;

export const anthropicErrorTypes = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'overloaded_error',
] as const;

/** Errors on this route: Anthropic's shape, with the gateway's own code beside the type. https://docs.anthropic.com/en/api/errors */
export const messagesErrorBodySchema = z
  .object({
    type: z.literal('error'),
    error: z.object({
      type: z.enum(anthropicErrorTypes),
      message: z.string(),
      gateway_code: z.string().meta({ description: 'The gateway\'s error code (VALIDATION_ERROR, RATE_LIMITED, ...).' }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'MessagesError' });

export type MessagesErrorBody = z.infer<typeof messagesErrorBodySchema>;
