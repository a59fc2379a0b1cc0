import { describe, expect, it } from 'vitest';
import { nativeResponsesRoute } from '../dialects/responses/native-responses-route.ts';
import { anthropicProtocol } from '../protocols/anthropic/anthropic-protocol.ts';
import type { TokenUsage } from '../protocols/chat-protocol.ts';
import { openAIProtocol } from '../protocols/openai/openai-protocol.ts';
import { findOperatorRates } from './find-operator-rates.ts';
import { priceTokens } from './price-tokens.ts';
import { readTokenCounts } from './read-token-counts.ts';

// Cost arithmetic from the usage payloads the providers document, read the way the gateway reads
// each protocol's answer, JSON and streamed. Rates per million tokens as listed for gpt-4o, o3 and
// Claude Sonnet 4.5.

const GPT_4O = { input: 2.5, output: 10, cachedInput: 1.25 };
const O3 = { input: 2, output: 8, cachedInput: 0.5 };
const SONNET = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };
const context = { model: 'm', created: 1741569952, includeUsage: false };

// OpenAI, prompt caching guide (https://platform.openai.com/docs/guides/prompt-caching).
const OPENAI_CACHED_USAGE = { prompt_tokens: 2006, completion_tokens: 300, total_tokens: 2306, prompt_tokens_details: { cached_tokens: 1920 }, completion_tokens_details: { reasoning_tokens: 0 } };
// OpenAI, reasoning guide (https://platform.openai.com/docs/guides/reasoning): the Responses usage.
const OPENAI_REASONING_USAGE = { input_tokens: 75, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1186, output_tokens_details: { reasoning_tokens: 1024 }, total_tokens: 1261 };
// Anthropic, prompt caching guide (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching),
// the large-context example's first call (a cache write) and a later one (a cache read).
const ANTHROPIC_WRITE_USAGE = { input_tokens: 21, cache_creation_input_tokens: 188086, cache_read_input_tokens: 0, output_tokens: 393 };
const ANTHROPIC_READ_USAGE = { input_tokens: 21, cache_creation_input_tokens: 0, cache_read_input_tokens: 188086, output_tokens: 393 };

function chatCompletion(usage: object): string {
  return JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }], usage });
}

function anthropicMessage(usage: object): string {
  return JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'Hi' }], stop_reason: 'end_turn', stop_sequence: null, usage });
}

/** An OpenAI stream as stream_options.include_usage makes it: the counts on a last chunk with no choices. */
function readOpenAIStream(usage: object): TokenUsage | undefined {
  const translator = openAIProtocol.createStreamTranslator(context);
  const chunk = (rest: object) => JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', ...rest });
  translator.onEvent(chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }], usage: null }), undefined);
  translator.onEvent(chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null }), undefined);
  translator.onEvent(chunk({ choices: [], usage }), undefined);
  translator.onEvent('[DONE]', undefined);
  return translator.usage;
}

/** An Anthropic stream: the prompt's counts in message_start, the output's in message_delta (https://docs.anthropic.com/en/docs/build-with-claude/streaming). */
function readAnthropicStream(usage: typeof ANTHROPIC_WRITE_USAGE): TokenUsage | undefined {
  const translator = anthropicProtocol.createStreamTranslator(context);
  const start = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } };
  const events: Array<[string, object]> = [
    ['message_start', { type: 'message_start', message: start }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }],
    ['message_stop', { type: 'message_stop' }],
  ];
  for (const [name, data] of events) translator.onEvent(JSON.stringify(data), name);
  return translator.usage;
}

describe('what a request costs, from the providers\' documented usage', () => {
  it('OpenAI with cached prompt tokens: 86 uncached at $2.50, 1,920 cached at $1.25, 300 completion at $10 per million', () => {
    const json = readTokenCounts(openAIProtocol.convertResponse(chatCompletion(OPENAI_CACHED_USAGE), context).usage);
    const streamed = readTokenCounts(readOpenAIStream(OPENAI_CACHED_USAGE));
    expect(json).toEqual({ promptTokens: 2006, completionTokens: 300, cachedPromptTokens: 1920, cacheWriteTokens: 0, reasoningTokens: 0 });
    expect(streamed).toEqual(json);
    expect(priceTokens(GPT_4O, json)).toBe(0.005615);
  });

  it('OpenAI with reasoning tokens: they are completion tokens, at the output rate', () => {
    const chatUsage = { prompt_tokens: 75, completion_tokens: 1186, total_tokens: 1261, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 1024 } };
    const json = readTokenCounts(openAIProtocol.convertResponse(chatCompletion(chatUsage), context).usage);
    const streamed = readTokenCounts(readOpenAIStream(chatUsage));
    const responses = readTokenCounts(nativeResponsesRoute({}).readAnswer(JSON.stringify({ id: 'resp_1', object: 'response', status: 'completed', output: [], usage: OPENAI_REASONING_USAGE })));
    expect(json).toEqual({ promptTokens: 75, completionTokens: 1186, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 1024 });
    expect(streamed).toEqual(json);
    expect(responses).toEqual(json);
    // 75 × $2 + 1,186 × $8 per million: the 1,024 reasoning tokens are not priced a second time.
    expect(priceTokens(O3, json)).toBe(0.009638);
  });

  it('Anthropic writing the cache: 21 uncached at $3, 188,086 written at $3.75, 393 output at $15 per million', () => {
    const json = readTokenCounts(anthropicProtocol.convertResponse(anthropicMessage(ANTHROPIC_WRITE_USAGE), context).usage);
    const streamed = readTokenCounts(readAnthropicStream(ANTHROPIC_WRITE_USAGE));
    expect(json).toEqual({ promptTokens: 188107, completionTokens: 393, cachedPromptTokens: 0, cacheWriteTokens: 188086, reasoningTokens: 0 });
    expect(streamed).toEqual(json);
    expect(priceTokens(SONNET, json)).toBe(0.7112805);
  });

  it('Anthropic reading the cache: the 188,086 tokens at $0.30, not at the full input rate', () => {
    const json = readTokenCounts(anthropicProtocol.convertResponse(anthropicMessage(ANTHROPIC_READ_USAGE), context).usage);
    const streamed = readTokenCounts(readAnthropicStream(ANTHROPIC_READ_USAGE));
    expect(json).toEqual({ promptTokens: 188107, completionTokens: 393, cachedPromptTokens: 188086, cacheWriteTokens: 0, reasoningTokens: 0 });
    expect(streamed).toEqual(json);
    expect(priceTokens(SONNET, json)).toBe(0.0623838);
  });

  it('prices cache reads and writes at the input rate when the prices name no other', () => {
    expect(priceTokens({ input: 1, output: 2 }, { promptTokens: 1000, completionTokens: 10, cachedPromptTokens: 600, cacheWriteTokens: 300, reasoningTokens: 5 })).toBe(0.00102);
  });

  it('reads nothing from counts that are not counts', () => {
    expect(readTokenCounts({ prompt_tokens: -5, completion_tokens: 1.5, prompt_tokens_details: null, completion_tokens_details: { reasoning_tokens: null } })).toEqual({
      promptTokens: 0,
      completionTokens: 0,
      cachedPromptTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });
});

describe('a provider\'s own pricing', () => {
  const pricing = { '*': { input: 9, output: 9 }, 'gpt-4o*': { input: 2.5, output: 10 }, 'gpt-4o-mini*': { input: 0.15, output: 0.6 }, 'GPT-4O-MINI-2024-07-18': { input: 1, output: 1 } };

  it('is the longest pattern that matches, compared case-insensitively', () => {
    expect(findOperatorRates(pricing, 'gpt-4o-mini-2024-07-18')).toEqual({ input: 1, output: 1 });
    expect(findOperatorRates(pricing, 'gpt-4o-mini')).toEqual({ input: 0.15, output: 0.6 });
    expect(findOperatorRates(pricing, 'gpt-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 });
    expect(findOperatorRates(pricing, 'o3')).toEqual({ input: 9, output: 9 });
    expect(findOperatorRates({ 'gpt-*': { input: 1, output: 1 } }, 'o3')).toBeUndefined();
    expect(findOperatorRates(undefined, 'o3')).toBeUndefined();
  });
});
