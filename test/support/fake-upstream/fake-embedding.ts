import { tokenPieces } from './scenarios.ts';

// The fake upstream's embeddings, as plain functions a test (on either runtime) can call to know
// exactly what the gateway must pass back.

const DEFAULT_DIMENSIONS = 8;

/** Multiples of 1/8 in [-1, 1): exact in float32, so base64 round-trips to the same numbers. */
export function fakeEmbedding(input: string | readonly number[], dimensions = DEFAULT_DIMENSIONS): number[] {
  const seed = typeof input === 'string' ? input.length : input.reduce((sum, token) => sum + token, input.length);
  return Array.from({ length: dimensions }, (_, index) => ((seed + index * 3) % 16) / 8 - 1);
}

/** The prompt tokens OpenAI would count: the text's pieces, or a token array's length. */
export function fakeEmbeddingTokens(input: string | readonly number[]): number {
  return typeof input === 'string' ? tokenPieces(input).length : input.length;
}
