import { describe, expect, it } from 'vitest';
import anthropicTextAndToolCallsFixture from '../../protocols/anthropic/__fixtures__/stream-text-and-tool-calls.jsonl?raw';
import { createAnthropicStreamTranslator } from '../../protocols/anthropic/create-anthropic-stream-translator.ts';
import lengthFixture from '../__fixtures__/openai-length.jsonl?raw';
import parallelToolCallsFixture from '../__fixtures__/openai-parallel-tool-calls.jsonl?raw';
import textFixture from '../__fixtures__/openai-text.jsonl?raw';
import { chatFramesOf, encodeAll, withStableIds } from '../__fixtures__/replay-fixture.ts';
import type { ResponseFrame } from './build-response-object.ts';
import { createResponseEventEncoder } from './create-response-event-encoder.ts';
import type { ResponseObject } from './responses-api.ts';

// Recorded OpenAI streams, and a recorded Anthropic one through the Anthropic translation, as the
// Responses stream a client gets, byte for byte (generated ids numbered).

const frame: ResponseFrame = { id: 'resp_0123456789abcdef0123456789abcdef0123456789abcdef', createdAt: 1741569952, request: { model: 'oai/gpt-4.1', input: 'Hi', tools: [] } };

function encode(frames: string[], namespaces = new Map<string, string>()): { text: string; final: ResponseObject | undefined } {
  let final: ResponseObject | undefined;
  const text = encodeAll(createResponseEventEncoder(frame, namespaces, (response) => (final = response)), frames);
  return { text: withStableIds(text), final };
}

function sequenceNumbers(text: string): number[] {
  return text.split('\n\n').filter(Boolean).map((event) => JSON.parse(event.split('\ndata: ')[1]!).sequence_number);
}

describe('createResponseEventEncoder', () => {
  it('text', async () => {
    const { text, final } = encode(chatFramesOf(textFixture));
    await expect(text).toMatchFileSnapshot('./__fixtures__/text.expected.sse');
    expect(sequenceNumbers(text)).toEqual([...Array(11).keys()]);
    expect(final).toMatchObject({ status: 'completed', usage: { input_tokens: 19, output_tokens: 10, total_tokens: 29 } });
  });

  it('parallel function calls, each item done before the next is added', async () => {
    const { text } = encode(chatFramesOf(parallelToolCallsFixture), new Map([['get_weather', 'weather']]));
    await expect(text).toMatchFileSnapshot('./__fixtures__/parallel-tool-calls.expected.sse');
  });

  it('a length cut: response.incomplete with incomplete_details', async () => {
    const { text, final } = encode(chatFramesOf(lengthFixture));
    await expect(text).toMatchFileSnapshot('./__fixtures__/length.expected.sse');
    expect(final).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  });

  it('an Anthropic stream (text, then a tool call) through the Anthropic translation', async () => {
    const translator = createAnthropicStreamTranslator({ model: 'claude-sonnet-4-5', created: 1741569952, includeUsage: true });
    const chunks = anthropicTextAndToolCallsFixture.split('\n').filter((line) => line.trim() !== '').flatMap((line) => translator.translate(line));
    const { text } = encode([...chunks, ...translator.finish()].map((chunk) => `data: ${chunk}\n\n`).concat('data: [DONE]\n\n'));
    await expect(text).toMatchFileSnapshot('./__fixtures__/anthropic-text-and-tool-call.expected.sse');
  });
});
