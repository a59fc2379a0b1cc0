import type { HttpBindings } from '@hono/node-server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestTargetError, toWebRequest } from './incoming-request.ts';
import { installLightResponse } from './light-response.ts';
import { writeResponse } from './write-response.ts';

// The node:http request listener around the app's fetch: a standard Request in (built lazily,
// incoming-request.ts), a standard Response out (written with fast paths, write-response.ts), and
// `{ incoming, outgoing }` as the app's bindings, as @hono/node-server passes them. It replaces
// @hono/node-server's listener on the hot path, whose Web-stream answer path cost about 150 µs of
// CPU per streamed chat (bench/README.md).

export type FetchHandler = (request: Request, bindings: HttpBindings) => Response | Promise<Response>;

// A body the app did not read (a 413, a 404 for a POST) is read and dropped after the answer, so
// the connection can carry the next request; past these limits the connection is closed instead.
const DRAIN_TIMEOUT_MS = 500;
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export function createRequestListener(fetch: FetchHandler): (incoming: IncomingMessage, outgoing: ServerResponse) => void {
  installLightResponse();
  return (incoming, outgoing) => {
    let request: Request;
    try {
      request = toWebRequest(incoming, outgoing);
    } catch (error) {
      if (!(error instanceof BadRequestTargetError)) throw error;
      outgoing.writeHead(400, { 'content-type': 'text/plain; charset=UTF-8' });
      outgoing.end();
      return;
    }
    if (incoming.method !== 'GET' && incoming.method !== 'HEAD') outgoing.once('finish', () => drainUnread(incoming));
    let answer: Response | Promise<Response>;
    try {
      answer = fetch(request, { incoming, outgoing });
    } catch (error) {
      return fail(outgoing, error);
    }
    if (answer instanceof Promise) answer.then((response) => writeResponse(response, outgoing)).catch((error: unknown) => fail(outgoing, error));
    else writeResponse(answer, outgoing).catch((error: unknown) => fail(outgoing, error));
  };
}

/** The app answers its own errors (app.onError); this is for a failure in writing one. */
function fail(outgoing: ServerResponse, error: unknown): void {
  if (!outgoing.headersSent) {
    outgoing.writeHead(500, { 'content-type': 'text/plain; charset=UTF-8' });
    outgoing.end();
  } else outgoing.destroy(error instanceof Error ? error : undefined);
}

function drainUnread(incoming: IncomingMessage): void {
  if (incoming.complete || incoming.destroyed) return;
  let bytes = 0;
  const close = () => {
    cleanup();
    incoming.socket?.destroySoon();
  };
  const timer = setTimeout(close, DRAIN_TIMEOUT_MS);
  timer.unref();
  const onData = (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_DRAIN_BYTES) close();
  };
  const cleanup = () => {
    clearTimeout(timer);
    incoming.off('data', onData);
    incoming.off('end', cleanup);
    incoming.off('error', cleanup);
  };
  incoming.on('data', onData);
  incoming.once('end', cleanup);
  incoming.once('error', cleanup);
  incoming.resume();
}
