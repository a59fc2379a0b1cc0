import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, ChatOptions, ChatRequest, GatewayClient } from 'llm-gateway-client';
import { streamAnswer } from './stream-answer.ts';

// A gateway whose streamChat yields these chunks, recording what it was asked.
function gatewayStreaming(chunks: Array<Partial<ChatCompletionChunk>>, provider: string | null = 'p') {
  const asked: ChatRequest[] = [];
  const gateway = {
    async *streamChat(request: ChatRequest, options: ChatOptions) {
      asked.push(request);
      options.onResponse?.({ status: 200, requestId: 'r', provider, cacheStatus: null });
      for (const chunk of chunks) yield chunk as ChatCompletionChunk;
    },
  } as unknown as GatewayClient;
  return { gateway, asked };
}

const text = (content: string | null) => ({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });

describe('streaming an answer', () => {
  it('hands each piece on, asks for usage, and reports the provider, tokens and the time to the first piece', async () => {
    const { gateway, asked } = gatewayStreaming([{ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }, text('Hel'), text('lo'), { choices: [], usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } }]);
    const clock = [100, 130, 180];
    const pieces: string[] = [];
    const stats = await streamAnswer(gateway, { model: 'p/m', message: 'Hi', signal: new AbortController().signal, onText: (piece) => pieces.push(piece), now: () => clock.shift()! });
    expect(asked).toEqual([{ model: 'p/m', messages: [{ role: 'user', content: 'Hi' }], stream_options: { include_usage: true } }]);
    expect(pieces).toEqual(['Hel', 'lo']);
    expect(stats).toEqual({ provider: 'p', promptTokens: 7, completionTokens: 2, firstTokenMs: 30, totalMs: 80 });
  });

  it('says so when no text and no usage came', async () => {
    const { gateway } = gatewayStreaming([text(null)], null);
    const clock = [0, 5];
    const stats = await streamAnswer(gateway, { model: 'p/m', message: 'Hi', signal: new AbortController().signal, onText: () => undefined, now: () => clock.shift()! });
    expect(stats).toEqual({ provider: null, promptTokens: undefined, completionTokens: undefined, firstTokenMs: undefined, totalMs: 5 });
  });
});
