import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppEnv } from '../../app-env.ts';
import { PayloadTooLargeError } from '../../errors/api-error.ts';
import { createAbortSource, type AbortSignalLike } from '../../http/abort-signal-like.ts';
import { readBodyOnFirstUse, webRequestIo, type RequestIo } from '../../http/request-io.ts';
import { attachFrames } from './light-response.ts';
import { ClientAbortedError } from '../../upstream/call-upstream.ts';

// RequestIo on Node's own request and response objects, so the server adapter never has to build
// a WHATWG Request for a chat call (it does so lazily, on first access to its body or signal).
// The same limits and answers as the Web version; requests without Node bindings (app.request()
// in tests) take the Web version.

const clientSignals = new WeakMap<ServerResponse, AbortSignalLike>();

const bindingsOf = (c: Context<AppEnv>) => (c.env as Partial<HttpBindings> | undefined) ?? {};

export const nodeRequestIo: RequestIo = {
  limitBody(maxBytes) {
    const webLimit = webRequestIo.limitBody(maxBytes);
    return async (c, next) => {
      const { incoming } = bindingsOf(c);
      if (incoming === undefined) return webLimit(c, next);
      if (incoming.method === 'GET' || incoming.method === 'HEAD') return next();
      // Read from the socket when the route first asks (after its guard), never through the
      // Request stream, which would build the full WHATWG Request.
      readBodyOnFirstUse(c, async () => {
        const declared = incoming.headers['content-length'];
        if (declared !== undefined && incoming.headers['transfer-encoding'] === undefined && Number(declared) > maxBytes) {
          throw new PayloadTooLargeError(maxBytes);
        }
        // Counted as it arrives, so a chunked body or a lying Content-Length stops at the limit.
        // The bytes, not text: readUtf8Body (src/http) decodes them and refuses what is not UTF-8.
        return readWithin(incoming, maxBytes);
      });
      return next();
    };
  },

  clientSignal(c) {
    const { outgoing } = bindingsOf(c);
    if (outgoing === undefined) return webRequestIo.clientSignal(c);
    const existing = clientSignals.get(outgoing);
    if (existing !== undefined) return existing;
    // Not an AbortSignal: on Node 20 one costs about 8 µs to create (abort-signal-like.ts).
    const source = createAbortSource();
    clientSignals.set(outgoing, source.signal);
    const abortUnlessAnswered = () => {
      if (!outgoing.writableFinished) source.abort();
    };
    if (outgoing.destroyed) abortUnlessAnswered();
    else outgoing.once('close', abortUnlessAnswered);
    return source.signal;
  },

  eventStream(c, source) {
    const response = c.body(null);
    return attachFrames(response, source) ? response : webRequestIo.eventStream(c, source);
  },
};

function readWithin(incoming: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  // Either would leave the promise below waiting for events that already happened.
  if (incoming.destroyed) return Promise.reject(new ClientAbortedError());
  if (incoming.readableEnded) return Promise.reject(new Error('The request body was already read'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: () => void) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onFailure);
      incoming.off('close', onFailure);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      // Not destroyed: the 413 still has to reach the client. The server adapter drains or closes
      // what is left once the answer is sent (request-listener.ts), and the answer says Connection: close.
      if (size > maxBytes) finish(() => reject(new PayloadTooLargeError(maxBytes)));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    // The client went away before its body was complete.
    const onFailure = () => finish(() => reject(new ClientAbortedError()));
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', onFailure);
    incoming.once('close', onFailure);
  });
}
