import * as z from 'zod';
import { MAX_FALLBACK_MODELS, MAX_MESSAGES } from '../../api/chat.ts';

// POST /responses: OpenAI's Responses request as the gateway reads it, and the response object it
// builds. Objects are loose: what the gateway does not read is passed to a provider that serves
// Responses itself (`responsesApi: true`) and left out of a translation.
// https://platform.openai.com/docs/api-reference/responses/create

const modelNameSchema = z.string().min(1).max(512);

/** One input item: a message (with or without `type`), a function call or its output, a reasoning item, or another type (named by it). */
const inputItemSchema = z.looseObject({ type: z.string().optional(), role: z.string().optional() });

export type ResponsesInputItem = z.infer<typeof inputItemSchema> & Record<string, unknown>;

const toolSchema = z.looseObject({ type: z.string(), name: z.string().optional() });

export type ResponsesTool = z.infer<typeof toolSchema> & Record<string, unknown>;

export const responsesRequestSchema = z.looseObject({
  /** `<provider id or name>/<model>`. */
  model: modelNameSchema,
  /** Fallbacks, each `<provider>/<model>`, tried in order after `model`; never forwarded. */
  models: z.array(modelNameSchema).max(MAX_FALLBACK_MODELS).optional(),
  input: z.union([z.string(), z.array(inputItemSchema).max(MAX_MESSAGES)]),
  instructions: z.string().nullish(),
  tools: z.array(toolSchema).optional(),
  tool_choice: z.union([z.string(), z.looseObject({ type: z.string(), name: z.string().optional() })]).optional(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  text: z.looseObject({ format: z.looseObject({ type: z.string() }).optional() }).nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish() }).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().min(1).max(128).nullish(),
  /** Background mode needs a job runner the gateway does not have: only `false` is accepted. */
  background: z.literal(false).nullish(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

const outputItemSchema = z.looseObject({ type: z.string(), id: z.string() });

const usageSchema = z.looseObject({
  input_tokens: z.number().int(),
  input_tokens_details: z.looseObject({ cached_tokens: z.number().int() }),
  output_tokens: z.number().int(),
  output_tokens_details: z.looseObject({ reasoning_tokens: z.number().int() }),
  total_tokens: z.number().int(),
});

/** https://platform.openai.com/docs/api-reference/responses/object */
export const responseObjectSchema = z
  .looseObject({
    id: z.string(),
    object: z.literal('response'),
    created_at: z.number(),
    status: z.enum(['completed', 'incomplete', 'failed', 'in_progress']),
    model: z.string(),
    output: z.array(outputItemSchema),
    usage: usageSchema.nullable(),
    incomplete_details: z.looseObject({ reason: z.string() }).nullable(),
    error: z.looseObject({ code: z.string(), message: z.string() }).nullable(),
  })
  .meta({ id: 'Response', description: 'OpenAI\'s Response object: https://platform.openai.com/docs/api-reference/responses/object' });

export type ResponseObject = z.infer<typeof responseObjectSchema> & Record<string, unknown>;
