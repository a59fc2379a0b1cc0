import * as z from 'zod';

/** GET /models: every provider's models in OpenAI's list format, ids as `<provider name>/<model>`. */
export const modelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(
    z.object({
      id: z.string(),
      object: z.literal('model'),
      created: z.number(),
      owned_by: z.string(),
    }),
  ),
});

export type ModelList = z.infer<typeof modelListSchema>;
