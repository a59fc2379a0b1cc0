import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer } from './close-server.ts';

// The graceful stop on its own, over a real keep-alive connection (the one a proxy in front
// keeps): a stream in flight finishes and the server is closed as soon as it has, not after the
// keep-alive timeout; a stream that outlasts the limit is cut at it.

let server: Server;
const agent = new Agent({ keepAliveTimeout: 60_000 });
afterEach(() => server?.closeAllConnections());

/** A server whose answers are `chunks` chunks `intervalMs` apart, with a 5 s keep-alive. */
async function start(chunks: number, intervalMs: number): Promise<string> {
  server = createServer({ keepAliveTimeout: 5_000 }, (_request, response) => {
    let sent = 0;
    const next = () => {
      response.write(`chunk ${++sent}\n`);
      if (sent === chunks) response.end();
      else setTimeout(next, intervalMs);
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function readText(body: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  try {
    for await (const chunk of body) text += chunk.toString();
  } catch {
    // cut: what arrived is the answer
  }
  return text;
}

describe('closeServer', () => {
  it('lets an answer in flight end, then closes its keep-alive connection at once', async () => {
    const url = await start(5, 100);
    // A first request leaves the connection idle and kept alive; the second one is in flight.
    await (await request(url, { dispatcher: agent })).body.text();
    const inFlight = await request(url, { dispatcher: agent });
    const started = performance.now();
    const closed = closeServer(server, 5_000).then(() => performance.now() - started);
    expect(await readText(inFlight.body)).toBe('chunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\n');
    const closedAfter = await closed;
    expect(closedAfter).toBeGreaterThan(350);
    expect(closedAfter).toBeLessThan(1_000);
  });

  it('cuts an answer that outlasts the limit, at the limit', async () => {
    const url = await start(100, 100);
    const inFlight = await request(url, { dispatcher: agent });
    const started = performance.now();
    const closed = closeServer(server, 500).then(() => performance.now() - started);
    const text = await readText(inFlight.body);
    expect(text.split('\n').length).toBeLessThan(10);
    const closedAfter = await closed;
    expect(closedAfter).toBeGreaterThan(450);
    expect(closedAfter).toBeLessThan(1_000);
  });
});
