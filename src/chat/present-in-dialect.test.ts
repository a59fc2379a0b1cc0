import { describe, expect, it } from 'vitest';
import { createMessageEventEncoder } from '../dialects/messages/create-message-event-encoder.ts';
import { StorageUnavailableError } from '../errors/api-error.ts';
import type { ChatAnswer } from './chat-answer.ts';
import { presentInDialect } from './present-in-dialect.ts';

const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;

function streamed(frames: string[]): ChatAnswer {
  return {
    provider: { id: 'p', name: 'P' },
    model: 'm',
    cacheStatus: undefined,
    droppedTools: [],
    native: false,
    stream: true,
    frames: (async function* () {
      yield* frames;
    })(),
    cancel() {},
  };
}

const dialect = (settle: () => Promise<void>) => ({
  name: 'messages' as const,
  droppedTools: [],
  encodeCompletion: () => '',
  createStreamEncoder: () => createMessageEventEncoder({ estimatedInputTokens: 1, stopSequences: undefined }),
  settle,
});

async function read(answer: ChatAnswer): Promise<string> {
  let text = '';
  if (answer.stream) for await (const piece of answer.frames) text += piece;
  return text;
}

describe('presentInDialect', () => {
  it('settles once the answer is complete, before its last piece is handed on', async () => {
    const order: string[] = [];
    const answer = await presentInDialect(streamed([chunk({ content: 'Hi' }), chunk({}, 'stop'), 'data: [DONE]\n\n']), dialect(async () => void order.push('settled')));
    if (!answer.stream) throw new Error('expected a stream');
    for await (const piece of answer.frames) order.push(piece.includes('message_stop') ? 'end' : 'piece');
    expect(order).toEqual(['piece', 'settled', 'end']);
  });

  it('ends with an error event instead of the completion when the answer cannot be kept', async () => {
    const text = await read(await presentInDialect(streamed([chunk({ content: 'Hi' }), 'data: [DONE]\n\n']), dialect(() => Promise.reject(new StorageUnavailableError()))));
    expect(text).not.toContain('message_stop');
    expect(text.endsWith(`event: error\ndata: {"type":"error","error":{"type":"api_error","message":"The gateway's storage cannot be reached; try again shortly","gateway_code":"STORAGE_UNAVAILABLE"}}\n\n`)).toBe(true);
  });
});
