import { describe, expect, it } from 'vitest';
import { convertAnthropicUsage } from './convert-anthropic-usage.ts';

describe('convertAnthropicUsage', () => {
  it('counts cache writes and reads in prompt_tokens and reports reads as cached_tokens', () => {
    expect(
      convertAnthropicUsage({ input_tokens: 50, cache_creation_input_tokens: 200, cache_read_input_tokens: 1000, output_tokens: 30 }),
    ).toEqual({ prompt_tokens: 1250, completion_tokens: 30, total_tokens: 1280, prompt_tokens_details: { cached_tokens: 1000 } });
  });

  it('leaves out prompt_tokens_details when the cache read count is absent or null', () => {
    expect(convertAnthropicUsage({ input_tokens: 10, output_tokens: 5 })).toEqual({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
    expect(convertAnthropicUsage({ input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: null, cache_read_input_tokens: null })).toEqual({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
    });
  });

  it('reports zeros for missing usage', () => {
    expect(convertAnthropicUsage(undefined)).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });
});
