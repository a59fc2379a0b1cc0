/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { ProviderError } from '../../errors/api-error.ts';
import { createAnthropicStreamTranslator } from './create-anthropic-stream-translator.ts';
import textAndToolCallsFixture from './__fixtures__/stream-text-and-tool-calls.jsonl?raw';
import thinkingThenTextFixture from './__fixtures__/stream-thinking-then-text.jsonl?raw';
import overloadedErrorFixture from './__fixtures__/stream-overloaded-error.jsonl?raw';

const created = 1_760_000_000;
const model = 'claude-sonnet-4-5';

/** The `data` of each recorded event, one JSON event per line. */
function readEvents(fixture: string): string[] {
  return fixture.split('\n').filter((line) => line.trim() !== '');
}

function translateAll(events: readonly string[], includeUsage: boolean): string[] {
  const translator = createAnthropicStreamTranslator({ model, created, includeUsage });
  const chunks: string[] = [];
  for (const event of events) chunks.push(...translator.translate(event));
  chunks.push(...translator.finish());
  return chunks;
}

/** Assembles the chunks with the official openai SDK, as a client of the gateway would. */
async function assembleWithOpenAISdk(chunks: readonly string[]) {
  const encoder = new TextEncoder();
  // ChatCompletionStream.fromReadableStream reads newline-delimited chunk JSON.
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(`${chunk}\n`));
      controller.close();
    },
  });
  return ChatCompletionStream.fromReadableStream(body).finalChatCompletion();
}

describe('createAnthropicStreamTranslator', () => {
  it('translates text and two tool calls split by a text block, as the openai SDK assembles them', async () => {
    const chunks = translateAll(readEvents(textAndToolCallsFixture), false);
    const completion = await assembleWithOpenAISdk(chunks);

    expect(completion.id).toBe('chatcmpl-msg_014p7gG3wDgGV9EUtLvnow3U');
    expect(completion.model).toBe(model);
    expect(completion.created).toBe(created);
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content).toBe("Okay, let's check the weather for San Francisco, CA: And the local time there:");
    expect(choice.message.tool_calls).toEqual([
      {
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}' },
      },
      {
        id: 'toolu_01PyGmqcv9pT6JkDjR3ErxHt',
        type: 'function',
        function: { name: 'get_time', arguments: '{"timezone": "America/Los_Angeles"}' },
      },
    ]);
    // The SDK types a tool call as a function call or a custom one.
    const weather = choice.message.tool_calls![0]!;
    expect(weather.type === 'function' && JSON.parse(weather.function.arguments)).toEqual({ location: 'San Francisco, CA', unit: 'fahrenheit' });
  });

  it('numbers tool calls 0 and 1 although their Anthropic blocks are 1 and 3', () => {
    const chunks = translateAll(readEvents(textAndToolCallsFixture), false).map((chunk) => JSON.parse(chunk) as ChatCompletionChunk);
    const toolCallDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(toolCallDeltas.filter((delta) => delta.id !== undefined)).toEqual([
      { index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 1, id: 'toolu_01PyGmqcv9pT6JkDjR3ErxHt', type: 'function', function: { name: 'get_time', arguments: '' } },
    ]);
    expect(new Set(toolCallDeltas.map((delta) => delta.index))).toEqual(new Set([0, 1]));
    // The empty partial_json that opens each tool block is not forwarded.
    expect(toolCallDeltas.every((delta) => delta.id !== undefined || delta.function?.arguments !== '')).toBe(true);
  });

  it('emits OpenAI-shaped chunks: role first, content deltas, an empty finish delta, no usage field', () => {
    const chunks = translateAll(readEvents(thinkingThenTextFixture), false).map((chunk) => JSON.parse(chunk) as Record<string, unknown>);
    expect(chunks).toEqual([
      {
        id: 'chatcmpl-msg_01JAFyS1fNyFXvnAw7dcQX3K',
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
      },
      expect.objectContaining({ choices: [{ index: 0, delta: { content: 'Hello' }, logprobs: null, finish_reason: null }] }),
      expect.objectContaining({
        choices: [{ index: 0, delta: { content: '! How can I help "you" today?\n' }, logprobs: null, finish_reason: null }],
      }),
      expect.objectContaining({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] }),
    ]);
    for (const chunk of chunks) expect(chunk).not.toHaveProperty('usage');
  });

  it('ignores thinking blocks, their signature and ping events', async () => {
    const completion = await assembleWithOpenAISdk(translateAll(readEvents(thinkingThenTextFixture), false));
    expect(completion.choices[0]!.message.content).toBe('Hello! How can I help "you" today?\n');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
  });

  it('with includeUsage, puts usage:null on every chunk and ends with a usage chunk with no choices', () => {
    const chunks = translateAll(readEvents(textAndToolCallsFixture), true).map((chunk) => JSON.parse(chunk) as ChatCompletionChunk);
    const last = chunks[chunks.length - 1]!;
    expect(last).toEqual({
      id: 'chatcmpl-msg_014p7gG3wDgGV9EUtLvnow3U',
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [],
      // 472 uncached + 0 written + 1024 read from cache; 118 output tokens from message_delta.
      usage: { prompt_tokens: 1496, completion_tokens: 118, total_tokens: 1614, prompt_tokens_details: { cached_tokens: 1024, cache_write_tokens: 0 } },
    });
    const others = chunks.slice(0, -1);
    expect(others.length).toBeGreaterThan(0);
    for (const chunk of others) expect(chunk.usage).toBeNull();
    expect(others[others.length - 1]!.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('passes the usage to the openai SDK when includeUsage is set', async () => {
    const completion = await assembleWithOpenAISdk(translateAll(readEvents(thinkingThenTextFixture), true));
    expect(completion.usage).toEqual({ prompt_tokens: 36, completion_tokens: 15, total_tokens: 51, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } });
  });

  it('throws a ProviderError with the upstream message and type on an error event', () => {
    const translator = createAnthropicStreamTranslator({ model, created, includeUsage: false });
    const events = readEvents(overloadedErrorFixture);
    for (const event of events.slice(0, -1)) translator.translate(event);
    let thrown: unknown;
    try {
      translator.translate(events[events.length - 1]!);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect((thrown as ProviderError).message).toBe('Overloaded');
    expect((thrown as ProviderError).details).toEqual({ type: 'overloaded_error' });
  });

  it('makes finish() throw a ProviderError when the stream ends before message_stop', () => {
    const events = readEvents(textAndToolCallsFixture);
    const translator = createAnthropicStreamTranslator({ model, created, includeUsage: true });
    // Cut after message_delta: the finish reason came, message_stop (and the usage) did not.
    for (const event of events.slice(0, -1)) translator.translate(event);
    expect(() => translator.finish()).toThrow(ProviderError);
  });

  it('makes finish() throw on an empty upstream body', () => {
    const translator = createAnthropicStreamTranslator({ model, created, includeUsage: false });
    expect(() => translator.finish()).toThrow(ProviderError);
  });

  it('throws a ProviderError on an event that is not JSON or does not match its schema', () => {
    const translator = createAnthropicStreamTranslator({ model, created, includeUsage: false });
    expect(() => translator.translate('{"type":"message_start"')).toThrow(ProviderError);
    expect(() => translator.translate('{"type":"message_start","message":{"id":"msg_1"}}')).toThrow(ProviderError);
  });

  it('rejects a malformed tool_use block instead of dropping the tool call', () => {
    const translator = createAnthropicStreamTranslator({ model, created, includeUsage: false });
    translator.translate(readEvents(textAndToolCallsFixture)[0]!);
    expect(() =>
      translator.translate('{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","name":"get_weather","input":{}}}'),
    ).toThrow(ProviderError);
  });

  it('throws a ProviderError on content before message_start', () => {
    const translator = createAnthropicStreamTranslator({ model, created, includeUsage: false });
    expect(() => translator.translate('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}')).toThrow(
      ProviderError,
    );
  });

  it('ignores unknown event, block and delta types, as Anthropic asks of clients', () => {
    const events = readEvents(thinkingThenTextFixture);
    const withUnknown = [
      events[0]!,
      '{"type":"future_event","payload":{}}',
      '{"type":"content_block_start","index":5,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}',
      '{"type":"content_block_delta","index":5,"delta":{"type":"input_json_delta","partial_json":"{\\"query\\": \\"x\\"}"}}',
      '{"type":"content_block_delta","index":1,"delta":{"type":"citations_delta","citation":{"type":"char_location"}}}',
      ...events.slice(1),
    ];
    const plain = translateAll(events, false);
    expect(translateAll(withUnknown, false)).toEqual(plain);
  });

  it('sends a stop finish chunk at message_stop when no message_delta gave a stop reason', () => {
    const events = readEvents(thinkingThenTextFixture).filter((event) => !event.includes('"message_delta"'));
    const chunks = translateAll(events, false).map((chunk) => JSON.parse(chunk) as ChatCompletionChunk);
    expect(chunks[chunks.length - 1]!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.filter((chunk) => chunk.choices[0]?.finish_reason !== null)).toHaveLength(1);
  });

  it('maps a max_tokens stop to finish_reason length', () => {
    const events = readEvents(thinkingThenTextFixture).map((event) => event.replace('"end_turn"', '"max_tokens"'));
    const chunks = translateAll(events, false).map((chunk) => JSON.parse(chunk) as ChatCompletionChunk);
    expect(chunks[chunks.length - 1]!.choices[0]!.finish_reason).toBe('length');
  });
});
