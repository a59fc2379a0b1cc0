import { describe, expect, it } from 'vitest';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { ProviderError } from '../../errors/api-error.ts';
import { convertFromAnthropicResponse } from './convert-from-anthropic-response.ts';
import textAndToolCallsMessage from './__fixtures__/message-text-and-tool-calls.json';

const options = { model: 'claude-sonnet-4-5', created: 1_760_000_000 };

describe('convertFromAnthropicResponse', () => {
  it('converts text, two tool calls and cached usage into a chat.completion', () => {
    const completion = convertFromAnthropicResponse(textAndToolCallsMessage, options);
    // Typed against the openai SDK's own ChatCompletion to catch shape drift at compile time too.
    const typed: ChatCompletion = completion as unknown as ChatCompletion;
    expect(typed).toEqual({
      id: 'chatcmpl-msg_01Aq9w938a90dw8q',
      object: 'chat.completion',
      created: 1_760_000_000,
      model: 'claude-sonnet-4-5',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: "I'll check the weather and the time for you.",
            refusal: null,
            tool_calls: [
              {
                id: 'toolu_01A09q90qw90lq917835lq9',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
              },
              {
                id: 'toolu_01B19r91rx91mr928946mr0',
                type: 'function',
                function: { name: 'get_time', arguments: '{"timezone":"America/Los_Angeles"}' },
              },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      // 2095 uncached + 248 written to cache + 1800 read from cache.
      usage: { prompt_tokens: 4143, completion_tokens: 503, total_tokens: 4646, prompt_tokens_details: { cached_tokens: 1800, cache_write_tokens: 248 } },
    });
  });

  it('gives null content and no tool_calls key for an answer without text or tools, and drops thinking', () => {
    const completion = convertFromAnthropicResponse(
      {
        id: 'msg_2',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [{ type: 'thinking', thinking: 'Hmm.', signature: 'sig' }],
        stop_reason: 'max_tokens',
        stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: 4096 },
      },
      options,
    );
    expect(completion.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: null, refusal: null }, logprobs: null, finish_reason: 'length' },
    ]);
    expect(completion.usage).toEqual({ prompt_tokens: 12, completion_tokens: 4096, total_tokens: 4108 });
  });

  it('joins several text blocks and ignores unknown block types', () => {
    const completion = convertFromAnthropicResponse(
      {
        id: 'msg_3',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [
          { type: 'text', text: 'Searching. ' },
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
          { type: 'text', text: 'Found it.' },
        ],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 2 },
      },
      options,
    );
    expect(completion.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: 'Searching. Found it.', refusal: null }, logprobs: null, finish_reason: 'stop' },
    ]);
  });

  it('throws a ProviderError for a body that is not an Anthropic message', () => {
    expect(() => convertFromAnthropicResponse({ type: 'error', error: { type: 'api_error', message: 'x' } }, options)).toThrow(ProviderError);
    expect(() =>
      convertFromAnthropicResponse({ ...textAndToolCallsMessage, content: [{ type: 'tool_use', name: 'get_weather', input: {} }] }, options),
    ).toThrow(ProviderError);
    expect(() => convertFromAnthropicResponse('not json', options)).toThrow(ProviderError);
  });
});
