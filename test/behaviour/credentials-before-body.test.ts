import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClockTarget } from '#target';
import { ADMIN_TOKEN, type Target } from '../support/target.ts';

// A request's credentials are checked before its body is read: a caller without a token cannot
// make the gateway wait for (or hold) a body. The body below is 2 MiB, under the limit, sent in
// 32 KiB pieces every 50 ms (about 3.2 s in all); the refusal must come while it is still
// arriving. Before, the Node server read the whole body first and answered after ~3 s.

const BODY_BYTES = 2 * 1024 * 1024;
const PIECE_BYTES = 32 * 1024;
const PIECE_INTERVAL_MS = 50;

let target: Target;
beforeAll(async () => {
  target = await startClockTarget(Date.now, { MAX_REQUEST_BODY_BYTES: String(4 * 1024 * 1024) });
});
afterAll(() => target.close());

/** A JSON body that trickles in; `sent()` says how many bytes the gateway has taken so far. */
function slowBody() {
  let sent = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent >= BODY_BYTES) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, PIECE_INTERVAL_MS));
      if (cancelled) return;
      const piece = new Uint8Array(Math.min(PIECE_BYTES, BODY_BYTES - sent)).fill(0x20);
      if (sent === 0) piece[0] = 0x7b;
      sent += piece.length;
      controller.enqueue(piece);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, sent: () => sent };
}

async function refusedEarly(path: string, headers: Record<string, string>, status: number, code: string): Promise<void> {
  const body = slowBody();
  const started = Date.now();
  const response = await target.rawFetch(`${target.apiBase}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body.stream, duplex: 'half' } as RequestInit);
  const elapsed = Date.now() - started;
  const sentBeforeAnswer = body.sent();
  expect(response.status, path).toBe(status);
  expect((await response.json()).error.code).toBe(code);
  // Generous bounds: the whole body takes ~3.2 s to send; the answer comes before a quarter of it.
  expect(elapsed, path).toBeLessThan(800);
  expect(sentBeforeAnswer, path).toBeLessThan(BODY_BYTES / 4);
  await body.stream.cancel().catch(() => undefined);
}

describe('credentials before the body', () => {
  it('refuses a request without a token at once, while its slow 2 MiB body is still arriving', async () => {
    await refusedEarly('/providers', { authorization: '' }, 401, 'UNAUTHORIZED');
    await refusedEarly('/chat/completions', { authorization: '' }, 401, 'UNAUTHORIZED');
    await refusedEarly('/keys', { authorization: 'Bearer wrong-token-0123456789abcdef' }, 401, 'UNAUTHORIZED');
    await refusedEarly('/no-such-route', { authorization: '' }, 401, 'UNAUTHORIZED');
  });

  it('refuses an access key on a management route at once too', async () => {
    const created = await target.fetch('/keys', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'early' }) });
    const { key } = await created.json();
    await refusedEarly('/providers', { authorization: `Bearer ${key}` }, 403, 'FORBIDDEN');
  });

  it('still reads the whole body of a request it accepts', async () => {
    const body = slowBody();
    const response = await target.rawFetch(`${target.apiBase}/providers`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: body.stream, duplex: 'half' } as RequestInit);
    // `{` and spaces: malformed JSON, which the gateway can only know once all of it arrived.
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'body' } });
    expect(body.sent()).toBe(BODY_BYTES);
  }, 20_000);
});
