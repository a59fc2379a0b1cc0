import { describe, expect, it } from 'vitest';
import { measureDeltaText } from './measure-delta-text.ts';

describe('measureDeltaText', () => {
  const chunk = (delta: unknown) => JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: null }], usage: null });

  it('counts the UTF-8 bytes of content, tool-call arguments and reasoning, escapes as one character', () => {
    expect(measureDeltaText(chunk({ role: 'assistant', content: '' }))).toBe(0);
    expect(measureDeltaText(chunk({ content: 'Hello' }))).toBe(5);
    expect(measureDeltaText(chunk({ content: 'café 🌍' }))).toBe(10);
    expect(measureDeltaText(chunk({ content: 'say "hi"\n' }))).toBe(9);
    expect(measureDeltaText(chunk({ content: null, tool_calls: [{ index: 0, function: { arguments: '{"city":' } }, { index: 1, function: { arguments: '"Paris"}' } }] }))).toBe(16);
    expect(measureDeltaText(chunk({ reasoning_content: 'think' }))).toBe(5);
    expect(measureDeltaText(chunk({ reasoning: 'more' }))).toBe(4);
    expect(measureDeltaText('{"choices":[{"delta":{"content": "spaced"}}]}')).toBe(6);
  });

  it('finds no text where there is none', () => {
    expect(measureDeltaText(chunk({}))).toBe(0);
    expect(measureDeltaText('{"choices":[],"usage":{"prompt_tokens":19,"completion_tokens":6}}')).toBe(0);
  });
});
