import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { createTestProvider, type TestProvider } from '../support/providers.ts';
import { readSseData } from '../support/sse.ts';
import { upstreamControl } from '../support/upstream-control.ts';

// What only a Node test can measure: the gateway's heap while an upstream streams one line of
// 64 MiB with no end (no newline, then silence). The gateway runs in this process; the fake
// upstream in vitest's main process, so its own buffers are not counted here. A parser without a
// limit holds the whole line (64 MB as a one-byte string) until the stream ends; with the limit
// the stream fails at 1 MiB and the heap stays where it was. The bound below (16 MiB) is
// generous on purpose: garbage from the test itself must not make it flaky.

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const LINE_BYTES = 64 * 1024 * 1024;
const PIECE_BYTES = 64 * 1024;

let target: NodeTarget;
const providers: Record<'openai' | 'anthropic', TestProvider> = {} as never;

beforeAll(async () => {
  // A long idle deadline: the unbounded parser would otherwise let go of the line at the timeout.
  target = await startTarget({ UPSTREAM_TIMEOUT_MS: '20000', LOG_LEVEL: 'silent' });
  [providers.openai, providers.anthropic] = await Promise.all([createTestProvider(target, 'openai'), createTestProvider(target, 'anthropic')]);
});
afterAll(() => target.close());

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

describe.each(['openai', 'anthropic'] as const)('a 64 MiB line from an %s upstream', (protocol) => {
  it('fails the stream at 1 MiB with the heap unchanged', { timeout: 60_000 }, async () => {
    const model = `long-line-${LINE_BYTES}-hang@memory-${protocol}`;
    const before = heapUsed();
    const controller = new AbortController();
    const response = await target.fetch('/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: `${providers[protocol].name}/${model}`, messages: [{ role: 'user', content: 'Hi' }], stream: true }),
      signal: controller.signal,
    });
    const reading = readSseData(response).catch(() => undefined);
    // Until the gateway either gave up on the stream or has been sent the whole line.
    const upstream = upstreamControl(target.upstreamUrl);
    const deadline = Date.now() + 45_000;
    let progress = await upstream.streamProgress(model);
    while (!progress.aborted && progress.chunksWritten < 1 + LINE_BYTES / PIECE_BYTES && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      progress = await upstream.streamProgress(model);
    }
    const grown = heapUsed() - before;
    const gaveUp = progress.aborted;
    // A gateway that gave up has ended the answer too; one that did not is left by the client.
    if (!gaveUp) controller.abort();
    const data = await reading;
    // The next measurement starts only once this stream's memory is released.
    while (!(await upstream.streamProgress(model)).aborted && Date.now() < deadline + 5_000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(grown).toBeLessThan(16 * 1024 * 1024);
    expect(gaveUp).toBe(true);
    expect(data?.at(-1) && JSON.parse(data.at(-1)!).error.code).toBe('PROVIDER_ERROR');
  });
});
