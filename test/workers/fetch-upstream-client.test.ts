import { describe, expect, it } from 'vitest';
import { createFetchUpstreamClient } from '../../src/upstream/fetch-upstream-client.ts';

// The Web-fetch UpstreamClient the Worker uses, with a fetch stand-in so each case is exact.

function slowBody() {
  const state = { cancelled: false, pulls: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls++;
      controller.enqueue(new TextEncoder().encode(`chunk ${state.pulls}\n`));
      return new Promise((resolve) => setTimeout(resolve, 10));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

describe('fetch upstream client', () => {
  it('sends method, headers, body and signal, never follows redirects, and exposes the answer', async () => {
    let seen: RequestInit | undefined;
    const client = createFetchUpstreamClient(async (_, init) => {
      seen = init;
      return new Response('moved', { status: 302, headers: { location: 'http://127.0.0.1:1/stolen' } });
    });
    const controller = new AbortController();
    const response = await client({ url: 'http://127.0.0.1:1/v1/chat/completions', method: 'POST', headers: { 'x-a': 'b' }, body: '{}', signal: controller.signal });
    expect(seen).toMatchObject({ method: 'POST', headers: { 'x-a': 'b' }, body: '{}', signal: controller.signal, redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.header('location')).toBe('http://127.0.0.1:1/stolen');
    expect(response.header('x-missing')).toBeUndefined();
    let text = '';
    for await (const chunk of response.body) text += new TextDecoder().decode(chunk);
    expect(text).toBe('moved');
  });

  it('cancels the body when discarded while it is being read', async () => {
    const { body, state } = slowBody();
    const client = createFetchUpstreamClient(async () => new Response(body));
    const response = await client({ url: 'http://127.0.0.1:1/', method: 'GET', headers: {}, signal: new AbortController().signal });
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) {
      chunks.push(chunk);
      if (chunks.length === 2) response.discard();
    }
    expect(chunks).toHaveLength(2);
    expect(state.cancelled).toBe(true);
  });

  it('cancels an unread body when discarded, and reading it afterwards yields nothing', async () => {
    const { body, state } = slowBody();
    const client = createFetchUpstreamClient(async () => new Response(body));
    const response = await client({ url: 'http://127.0.0.1:1/', method: 'GET', headers: {}, signal: new AbortController().signal });
    response.discard();
    response.discard();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state.cancelled).toBe(true);
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    expect(chunks).toEqual([]);
  });

  it('cancels the body when the reader stops early', async () => {
    const { body, state } = slowBody();
    const client = createFetchUpstreamClient(async () => new Response(body));
    const response = await client({ url: 'http://127.0.0.1:1/', method: 'GET', headers: {}, signal: new AbortController().signal });
    for await (const _ of response.body) break;
    expect(state.cancelled).toBe(true);
  });
});
