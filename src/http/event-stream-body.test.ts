import { describe, expect, it } from 'vitest';
import { eventStreamBody, frameSourceOf } from './event-stream-body.ts';

describe('eventStreamBody', () => {
  it('pulls one frame per read and none before the first, encoded as UTF-8', async () => {
    let pulled = 0;
    async function* frames() {
      pulled++;
      yield 'data: é\n\n';
      pulled++;
      yield 'data: [DONE]\n\n';
    }
    const body = eventStreamBody({ frames: frames(), cancel: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pulled).toBe(0);
    expect(await new Response(body).text()).toBe('data: é\n\ndata: [DONE]\n\n');
    expect(pulled).toBe(2);
  });

  it('cancels the source and ends its frames when the reader cancels', async () => {
    let cancelled = false;
    let finished = false;
    async function* frames() {
      try {
        for (;;) yield 'data: x\n\n';
      } finally {
        finished = true;
      }
    }
    const reader = eventStreamBody({ frames: frames(), cancel: () => (cancelled = true) }).getReader();
    await reader.read();
    await reader.cancel();
    expect({ cancelled, finished }).toEqual({ cancelled: true, finished: true });
  });

  it('hands its source to a runtime only while nobody reads the stream', () => {
    const source = { frames: (async function* () {})(), cancel: () => undefined };
    const body = eventStreamBody(source);
    expect(frameSourceOf(body)).toBe(source);
    expect(frameSourceOf(new ReadableStream())).toBeUndefined();
    body.getReader();
    expect(frameSourceOf(body)).toBeUndefined();
  });
});
