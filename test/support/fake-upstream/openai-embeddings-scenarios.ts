import { fakeEmbedding, fakeEmbeddingTokens } from './fake-embedding.ts';
import type { ChatContext } from './scenarios.ts';
import { sendJson } from './sse-writer.ts';

// OpenAI's Embeddings API (POST /embeddings) as OpenAI serves it: a list of embeddings, floats or
// (`encoding_format: "base64"`) little-endian float32 bytes in base64, and the prompt tokens.
// The vectors are a function of each input (fake-embedding.ts), so a test can say exactly what
// comes back; the models `always-429` and `always-500` fail as the chat scenarios do.
// https://platform.openai.com/docs/api-reference/embeddings/create

function inputsOf(input: unknown): Array<string | number[]> {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return [];
  if (input.every((item) => typeof item === 'number')) return [input as number[]];
  return input as Array<string | number[]>;
}

const errorBody = (message: string, type: string, code: string | null = null) => ({ error: { message, type, param: null, code } });

export function embeddingsAnswer(context: ChatContext): void {
  const model = context.model.split('@')[0];
  if (model === 'always-429') {
    return sendJson(context.res, 429, errorBody(`Rate limit reached for ${context.model} on requests per min (RPM): Limit 3, Used 3, Requested 1.`, 'requests', 'rate_limit_exceeded'), context.progress, { 'retry-after': '30' });
  }
  if (model === 'always-500') return sendJson(context.res, 500, errorBody('The server had an error while processing your request. Sorry about that!', 'server_error'), context.progress);
  const inputs = inputsOf(context.body.input);
  if (inputs.length === 0) return sendJson(context.res, 400, errorBody("'input' must be a string, strings, a token array or token arrays", 'invalid_request_error'), context.progress);
  const dimensions = typeof context.body.dimensions === 'number' ? context.body.dimensions : undefined;
  const base64 = context.body.encoding_format === 'base64';
  const tokens = inputs.reduce((sum, input) => sum + fakeEmbeddingTokens(input), 0);
  sendJson(context.res, 200, {
    object: 'list',
    data: inputs.map((input, index) => {
      const vector = fakeEmbedding(input, dimensions);
      return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector };
    }),
    model: context.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  }, context.progress);
}
