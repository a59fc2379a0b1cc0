import * as z from 'zod';

// The parts of an OpenAI Chat Completions request that the Anthropic translation reads, built
// once at module load. Objects are loose so that fields we do not translate pass validation and
// are then simply not copied. Optional fields are nullish because OpenAI clients commonly send
// explicit nulls. Reference: https://platform.openai.com/docs/api-reference/chat/create

const textPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

const imageUrlPartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string(), detail: z.string().nullish() }),
});

const inputAudioPartSchema = z.looseObject({ type: z.literal('input_audio') });

const filePartSchema = z.looseObject({
  type: z.literal('file'),
  file: z.looseObject({
    file_data: z.string().nullish(),
    file_id: z.string().nullish(),
    filename: z.string().nullish(),
  }),
});

const refusalPartSchema = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });

const textContentSchema = z.union([z.string(), z.array(textPartSchema)]);

export type OpenAITextContent = z.infer<typeof textContentSchema>;

const userPartSchema = z.discriminatedUnion('type', [textPartSchema, imageUrlPartSchema, inputAudioPartSchema, filePartSchema]);

export type OpenAIUserPart = z.infer<typeof userPartSchema>;

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const messageSchema = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: textContentSchema }),
  z.looseObject({ role: z.literal('developer'), content: textContentSchema }),
  z.looseObject({ role: z.literal('user'), content: z.union([z.string(), z.array(userPartSchema)]) }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPartSchema, refusalPartSchema]))]).nullish(),
    tool_calls: z.array(toolCallSchema).nullish(),
  }),
  z.looseObject({ role: z.literal('tool'), tool_call_id: z.string(), content: textContentSchema }),
]);

export type OpenAIMessage = z.infer<typeof messageSchema>;

const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string(),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
  }),
});

export type OpenAIFunctionTool = z.infer<typeof functionToolSchema>;

const toolChoiceSchema = z.union([
  z.enum(['auto', 'required', 'none']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
]);

export type OpenAIToolChoice = z.infer<typeof toolChoiceSchema>;

const tokenCountSchema = z.number().int().positive();

export const openAIChatRequestSchema = z.looseObject({
  messages: z.array(messageSchema).min(1),
  tools: z.array(functionToolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  max_completion_tokens: tokenCountSchema.nullish(),
  max_tokens: tokenCountSchema.nullish(),
  // Anthropic's range is 0..1 where OpenAI's is 0..2: a value above 1 has no Anthropic equivalent.
  // https://docs.anthropic.com/en/api/messages#body-temperature
  temperature: z.number().min(0).max(1, 'Anthropic models accept a temperature between 0 and 1').nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stream: z.boolean().nullish(),
  n: z.number().int().nullish(),
  user: z.string().nullish(),
});

export type OpenAIChatRequest = z.infer<typeof openAIChatRequestSchema>;
