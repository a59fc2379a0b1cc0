import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { frameSourceOf } from '../../http/event-stream-body.ts';
import { keptBody } from './light-response.ts';

// Writes the app's standard Response to Node's ServerResponse. Fast paths, for a body still as the
// app gave it (light-response.ts): a string or bytes in one write with its Content-Length, and an
// event stream's frames straight to the socket, one write each, without the ReadableStream
// between (on Node 20 every read through a Web stream costs microtasks and promises; the whole
// streamed answer about 150 µs of CPU, bench/README.md). Anything else is read through its
// ReadableStream. The wire format is @hono/node-server's: the same default Content-Type and
// Content-Length rules.

export async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const kept = keptBody(response);
  const headers = toNodeHeaders(response.headers);
  if (kept?.frames) return writeChunks(kept.frames, response.status, headers, outgoing);
  const body = kept ? kept.body : response.body;
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) {
    if (body !== null && headers['content-length'] === undefined) headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    outgoing.writeHead(response.status, headers);
    outgoing.end(body ?? undefined);
    return;
  }
  const source = frameSourceOf(body);
  if (source) return writeChunks(source, response.status, headers, outgoing);
  // Another body the app built (a Blob, form data...): through a WHATWG Response, which reads it.
  const stream = body instanceof ReadableStream ? (body as ReadableStream<Uint8Array>) : new Response(body).body!;
  return writeChunks(chunkSourceOf(stream), response.status, headers, outgoing);
}

/** Headers as Node writes them: Set-Cookie one line each, Content-Type always present. */
function toNodeHeaders(headers: Headers): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  let cookies: string[] | undefined;
  for (const [name, value] of headers) {
    if (name === 'set-cookie') (cookies ??= []).push(value);
    else out[name] = value;
  }
  if (cookies) out['set-cookie'] = cookies;
  out['content-type'] ??= 'text/plain; charset=UTF-8';
  return out;
}

/** Frames, or any body's chunks: each one write, paced by the socket's backpressure. */
interface ChunkSource {
  frames: AsyncIterable<string | Uint8Array>;
  /** The client went away before the end: stop producing at once. */
  cancel(): void;
}

/**
 * The head goes out with the first chunk when that is ready at once (one write instead of two),
 * else on its own, so a client waiting for a slow first token still gets its status and headers.
 */
async function writeChunks(source: ChunkSource, status: number, headers: OutgoingHttpHeaders, outgoing: ServerResponse): Promise<void> {
  const iterator = source.frames[Symbol.asyncIterator]();
  let gone = false;
  const onClose = () => {
    if (outgoing.writableFinished) return;
    gone = true;
    source.cancel();
    void iterator.return?.();
  };
  outgoing.once('close', onClose);
  outgoing.writeHead(status, headers);
  try {
    const first = iterator.next();
    if ((await Promise.race([first, nextTurn()])) === notYet) outgoing.flushHeaders();
    for (let step = await first; !step.done && !gone; step = await iterator.next()) {
      if (!outgoing.write(step.value)) await drained(outgoing);
    }
    if (!gone) outgoing.end();
  } catch (error) {
    outgoing.destroy(error as Error);
  } finally {
    outgoing.off('close', onClose);
  }
}

const notYet = Symbol('not yet');
const nextTurn = () => new Promise<typeof notYet>((resolve) => setImmediate(resolve, notYet));

/** A stream's chunks; cancel() ends a read still waiting, so a client that left stops the stream at once. */
function chunkSourceOf(stream: ReadableStream<Uint8Array>): ChunkSource {
  const reader = stream.getReader();
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let step = await reader.read(); !step.done; step = await reader.read()) yield step.value;
  }
  return { frames: chunks(), cancel: () => void reader.cancel().catch(() => undefined) };
}

function drained(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.once('drain', done);
    outgoing.once('close', done);
  });
}
