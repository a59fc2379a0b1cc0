import * as z from 'zod';
import { chatRequestSchema } from './chat.ts';

// POST /embeddings: OpenAI's Embeddings request and answer, passed through to OpenAI-protocol
// providers. The gateway reads `model` (routed as in chat) and checks `input` and the two options
// it knows; the objects are loose, so any other field reaches the provider as sent.
// https://platform.openai.com/docs/api-reference/embeddings/create

/** OpenAI's own limit on inputs per request. */
export const MAX_EMBEDDING_INPUTS = 2048;

const tokenArraySchema = z.array(z.number().int().nonnegative()).min(1);

export const embeddingsRequestSchema = z.looseObject({
  /** `<provider id or name>/<model>`, or the upstream model when provider_id is given. */
  model: chatRequestSchema.shape.model,
  provider_id: chatRequestSchema.shape.provider_id,
  /** A string, strings, a token array or token arrays; none of them empty. */
  input: z.union([
    z.string().min(1),
    z.array(z.string().min(1)).min(1).max(MAX_EMBEDDING_INPUTS),
    tokenArraySchema,
    z.array(tokenArraySchema).min(1).max(MAX_EMBEDDING_INPUTS),
  ]),
  dimensions: z.number().int().positive().optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});

export type EmbeddingsRequest = z.input<typeof embeddingsRequestSchema>;

export const embeddingListSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(
    z.looseObject({
      object: z.literal('embedding'),
      index: z.number().int(),
      /** Floats, or (`encoding_format: "base64"`) their little-endian float32 bytes in base64. */
      embedding: z.union([z.array(z.number()), z.string()]),
    }),
  ),
  model: z.string(),
  /** OpenAI always sends it; a compatible server without it is recorded with 0 tokens. */
  usage: z.looseObject({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }).optional(),
});

export type EmbeddingList = z.infer<typeof embeddingListSchema>;
