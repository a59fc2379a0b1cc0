import { describe, expect, it } from 'vitest';
import { convertAnthropicUsage } from './convert-anthropic-usage.ts';

describe('convertAnthropicUsage', () => {
  it('counts cache writes and reads in prompt_tokens and reports reads as cached_tokens, writes as cache_write_tokens', () => {
    expect(
      convertAnthropicUsage({ input_tokens: 50, cache_creation_input_tokens: 200, cache_read_input_tokens: 1000, output_tokens: 30 }),
    ).toEqual({ prompt_tokens: 1250, completion_tokens: 30, total_tokens: 1280, prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 200 } });
  });

  it('reports a cache write without a read (the first request of a cached prefix)', () => {
    // Anthropic's prompt caching guide, first request of its large-context example.
    expect(convertAnthropicUsage({ input_tokens: 21, cache_creation_input_tokens: 188086, output_tokens: 393 })).toEqual({
      prompt_tokens: 188107,
      completion_tokens: 393,
      total_tokens: 188500,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 188086 },
    });
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
