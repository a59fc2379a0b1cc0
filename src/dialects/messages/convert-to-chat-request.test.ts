import { describe, expect, it } from 'vitest';
import { convertToChatRequest } from './convert-to-chat-request.ts';

const base = { model: 'oai/gpt-4.1', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('convertToChatRequest (Messages)', () => {
  it('maps the thinking budget to reasoning effort at the contract\'s bounds', () => {
    const effort = (budget: number) => convertToChatRequest({ ...base, thinking: { type: 'enabled', budget_tokens: budget } }).body.reasoning_effort;
    expect([effort(1024), effort(4096), effort(4097), effort(16_384), effort(16_385)]).toEqual(['low', 'low', 'medium', 'medium', 'high']);
    expect(convertToChatRequest({ ...base, thinking: { type: 'disabled' } }).body.reasoning_effort).toBeUndefined();
  });

  it('keeps the first 64 characters of a long metadata.user_id, the limit OpenAI holds `user` to', () => {
    const userId = `user_${'a'.repeat(64)}_account_1b4e28ba-2fa1-11d2-883f-0016d3cca427_session_6fa459ea-ee8a-3ca4-894e-db77e160355e`;
    expect(convertToChatRequest({ ...base, metadata: { user_id: userId } }).body.user).toBe(userId.slice(0, 64));
  });

  it('asks a stream for its usage, and carries tool_choice only with tools', () => {
    const converted = convertToChatRequest({ ...base, stream: true, tool_choice: { type: 'auto' } });
    expect(converted.body).toEqual({ model: 'oai/gpt-4.1', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 100, stream: true, stream_options: { include_usage: true } });
  });
});
