import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPLETION_TOKENS, worstCaseTokens } from './worst-case-tokens.ts';

describe('worstCaseTokens', () => {
  const messages = [{ role: 'user', content: 'Hi' }];
  const prompt = (body: Record<string, unknown>) => Math.ceil(new TextEncoder().encode(JSON.stringify(body)).length / 4);

  it('is a quarter of the body\'s UTF-8 bytes for the prompt plus the completion limit asked for', () => {
    const body = { model: 'openai/gpt-test', messages, max_tokens: 100 };
    expect(worstCaseTokens(body)).toEqual({ prompt: prompt(body), completion: 100, total: prompt(body) + 100 });
  });

  it('takes max_completion_tokens over max_tokens, then max_output_tokens, and multiplies by n', () => {
    expect(worstCaseTokens({ messages, max_tokens: 100, max_completion_tokens: 30 }).completion).toBe(30);
    expect(worstCaseTokens({ input: 'Hi', max_output_tokens: 70 }).completion).toBe(70);
    expect(worstCaseTokens({ messages, max_tokens: 100, n: 3 }).completion).toBe(300);
  });

  it('reserves the default when no usable limit is given', () => {
    for (const limit of [undefined, 0, -5, 1.5, '100', null]) {
      expect(worstCaseTokens({ messages, max_tokens: limit, n: 'two' }).completion).toBe(DEFAULT_COMPLETION_TOKENS);
    }
  });

  it('counts multi-byte text by its bytes', () => {
    const body = { messages: [{ role: 'user', content: '日本語のテキスト' }] };
    expect(worstCaseTokens(body).prompt).toBe(Math.ceil((JSON.stringify(body).length + 8 * 2) / 4));
  });
});
