import * as z from 'zod';

// POST /chat/completions: OpenAI's Chat Completions request plus the gateway's routing fields,
// and the answer, always in OpenAI's format. Only what the gateway itself reads is checked on
// the way in; every other field passes through to OpenAI-protocol upstreams untouched, so the
// objects are loose. https://platform.openai.com/docs/api-reference/chat

export const MAX_MESSAGES = 2048;
export const MAX_FALLBACK_MODELS = 5;

/** Longer names are refused before any access-key pattern is tried on them. */
export const MAX_MODEL_NAME_LENGTH = 256;
// A model name is stored in the usage ledger, logged, and a label of /metrics: no control
// characters (a line break would split a log line's reader), no unpaired surrogates (no UTF-8
// form: two names would become the same label).
const modelNameSchema = z
  .string()
  .min(1)
  .max(MAX_MODEL_NAME_LENGTH)
  .refine((model) => !/[\p{Cc}\p{Cs}]/u.test(model), 'must not contain control characters or unpaired surrogates');

export const chatRequestSchema = z
  .looseObject({
    /** `<provider id or name>/<model>`, or the upstream model when provider_id is given. */
    model: modelNameSchema,
    provider_id: z.string().min(1).max(128).optional(),
    /** Fallbacks (OpenRouter's convention), each `<provider>/<model>`, tried in order after `model`. */
    models: z.array(modelNameSchema).max(MAX_FALLBACK_MODELS).optional(),
    messages: z.array(z.looseObject({ role: z.string().min(1) })).min(1).max(MAX_MESSAGES),
    stream: z.boolean().nullish(),
    stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  });

export type ChatRequest = z.input<typeof chatRequestSchema>;

export const usageSchema = z.looseObject({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
});

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export const chatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number(),
      message: z.looseObject({
        role: z.literal('assistant'),
        content: z.string().nullable(),
        tool_calls: z.array(toolCallSchema).optional(),
      }),
      finish_reason: z.string().nullable(),
    }),
  ),
  usage: usageSchema.nullish(),
});

export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

const toolCallDeltaSchema = z.looseObject({
  index: z.number(),
  id: z.string().optional(),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
});

export const chatCompletionChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number(),
      delta: z.looseObject({
        role: z.literal('assistant').optional(),
        content: z.string().nullish(),
        tool_calls: z.array(toolCallDeltaSchema).optional(),
      }),
      finish_reason: z.string().nullable(),
    }),
  ),
  usage: usageSchema.nullish(),
});

export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;
