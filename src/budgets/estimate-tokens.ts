// The gateway's own token estimate, used only where the upstream's count is not (yet) known: a
// budget's worst case before a request goes out, and a stream that ended without its usage. A
// quarter of the text's UTF-8 bytes, rounded up: about right for English and code with OpenAI's
// and Anthropic's tokenizers, under for scripts whose characters take 3 bytes and often a token
// each. No tokenizer: none is exact for every provider's models, and the smallest would cost the
// Worker more than its whole budget of bytes.

export const BYTES_PER_TOKEN = 4;

export function estimateTokens(utf8Bytes: number): number {
  return Math.ceil(utf8Bytes / BYTES_PER_TOKEN);
}
