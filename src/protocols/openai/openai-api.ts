import * as z from 'zod';

// The parts of OpenAI's wire format the proxy reads. Everything else passes through untouched.
// https://platform.openai.com/docs/api-reference/chat

export const openAIModelListSchema = z.object({
  data: z.array(z.looseObject({ id: z.string() })),
});

export const openAIErrorSchema = z.object({
  error: z.union([
    z.looseObject({ message: z.string().optional(), type: z.string().nullish(), code: z.unknown().optional() }),
    z.string(),
  ]),
});
