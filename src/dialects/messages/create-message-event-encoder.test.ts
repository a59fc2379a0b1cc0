import { describe, expect, it } from 'vitest';
import lengthFixture from '../__fixtures__/openai-length.jsonl?raw';
import parallelToolCallsFixture from '../__fixtures__/openai-parallel-tool-calls.jsonl?raw';
import textFixture from '../__fixtures__/openai-text.jsonl?raw';
import toolCallAfterTextFixture from '../__fixtures__/openai-tool-call-after-text.jsonl?raw';
import { chatFramesOf, encodeAll } from '../__fixtures__/replay-fixture.ts';
import { createMessageEventEncoder } from './create-message-event-encoder.ts';

// Recorded OpenAI streams (src/dialects/__fixtures__) as the Anthropic stream a Messages client
// gets, byte for byte; then what the official SDK's accumulator makes of each is checked in the
// behaviour suite.

const encode = (fixture: string, options = { estimatedInputTokens: 7, stopSequences: undefined as string[] | undefined }) => encodeAll(createMessageEventEncoder(options), chatFramesOf(fixture));

describe('createMessageEventEncoder', () => {
  it('text', async () => {
    await expect(encode(textFixture)).toMatchFileSnapshot('./__fixtures__/text.expected.sse');
  });

  it('parallel tool calls: one tool_use block each, closed before the next opens, ids that map back', async () => {
    await expect(encode(parallelToolCallsFixture)).toMatchFileSnapshot('./__fixtures__/parallel-tool-calls.expected.sse');
  });

  it('a tool call after text: the text block closes first', async () => {
    await expect(encode(toolCallAfterTextFixture)).toMatchFileSnapshot('./__fixtures__/tool-call-after-text.expected.sse');
  });

  it('a length cut: stop_reason max_tokens', async () => {
    await expect(encode(lengthFixture)).toMatchFileSnapshot('./__fixtures__/length.expected.sse');
  });

  it('message_start says the estimate until the upstream has counted, never 0', () => {
    const text = encode(textFixture, { estimatedInputTokens: 7, stopSequences: undefined });
    expect(text.split('\n\n')[0]).toContain('"usage":{"input_tokens":7,"output_tokens":0}');
  });

  it('a stop sequence the upstream names (vLLM\'s stop_reason) ends with stop_sequence', () => {
    const frames = [
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\n',
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop","stop_reason":"END"}]}\n\n',
      'data: [DONE]\n\n',
    ];
    const text = encodeAll(createMessageEventEncoder({ estimatedInputTokens: 3, stopSequences: ['END'] }), frames);
    expect(text).toContain('event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"END"},"usage":{"output_tokens":1}}\n\n');
  });

  it('a failure mid-stream is one error event in Anthropic\'s shape, and the stream is not complete', () => {
    const encoder = createMessageEventEncoder({ estimatedInputTokens: 3, stopSequences: undefined });
    const text = encodeAll(encoder, [chatFramesOf(textFixture)[1]!, 'data: {"error":{"code":"UPSTREAM_TIMEOUT","message":"The provider did not answer in time"}}\n\n']);
    expect(text.endsWith('event: error\ndata: {"type":"error","error":{"type":"api_error","message":"The provider did not answer in time","gateway_code":"UPSTREAM_TIMEOUT"}}\n\n')).toBe(true);
    expect(encoder.complete).toBe(false);
  });
});
