// A size in tokens before any provider has counted it: about four characters of its
// JSON per token (OpenAI's rule of thumb for English text), and at least 1 for a prompt that is not
// empty. Used where a dialect must give a figure before the upstream has (Anthropic's
// message_start, count_tokens for providers without a counting endpoint).
// https://help.openai.com/en/articles/4936856-what-are-tokens-and-how-to-count-them

const CHARACTERS_PER_TOKEN = 4;

export function estimateTokens(...parts: unknown[]): number {
  let characters = 0;
  for (const part of parts) if (part !== undefined) characters += typeof part === 'string' ? part.length : JSON.stringify(part).length;
  return tokensForCharacters(characters);
}

export function tokensForCharacters(characters: number): number {
  return characters === 0 ? 0 : Math.max(1, Math.ceil(characters / CHARACTERS_PER_TOKEN));
}
