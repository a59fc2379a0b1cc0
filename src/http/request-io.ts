import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.ts';
import { PayloadTooLargeError } from '../errors/api-error.ts';
import type { AbortSignalLike } from './abort-signal-like.ts';
import { eventStreamBody, type FrameSource } from './event-stream-body.ts';

// How the body reaches the routes, how they learn that the client went away, and how an event
// stream leaves. Routes read the body with readUtf8Body (./read-utf8-body.ts) after limitBody,
// whichever version ran. limitBody reads nothing itself: the body is read, within the limit, the first time
// a route asks for it, which is after the route's guard, so a caller without credentials never
// makes the gateway wait for a body or hold one (readBodyOnFirstUse). The Web version below works on every runtime. On Node, the server adapter builds a
// full WHATWG Request (a Web ReadableStream over the socket, an AbortSignal) the first time
// anything touches `c.req.raw`'s body or signal, about 100 µs of CPU per request there; the Node
// adapter supplies a version that reads the socket stream itself and leaves the bytes in Hono's
// body cache (src/adapter/node/node-request-io.ts).

export interface RequestIo {
  /** Refuses a body over maxBytes with PayloadTooLargeError, chunked or not, when a route reads it. */
  limitBody(maxBytes: number): MiddlewareHandler<AppEnv>;
  /** Aborts when the client disconnects before its answer is complete. */
  clientSignal(c: Context<AppEnv>): AbortSignalLike;
  /**
   * The answer for an event stream: the context's status and headers, the frames as the body.
   * The Node version never builds the body's ReadableStream unless something reads it (one
   * costs about 20 µs of CPU there, 3% of a streamed chat).
   */
  eventStream(c: Context<AppEnv>, source: FrameSource): Response;
}

export const webRequestIo: RequestIo = {
  limitBody(maxBytes) {
    // hono's limit reads a body without a Content-Length whole, at once: it runs at the first read.
    const limit = bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new PayloadTooLargeError(maxBytes);
      },
    });
    return async (c, next) => {
      readBodyOnFirstUse(c, async () => {
        await limit(c, async () => undefined);
        return new Uint8Array(await c.req.raw.arrayBuffer());
      });
      await next();
    };
  },
  clientSignal: (c) => c.req.raw.signal,
  eventStream: (c, source) => c.body(eventStreamBody(source)),
};

/**
 * c.req.arrayBuffer() (what readUtf8Body reads; c.req.text() and c.req.json() derive from it) reads
 * the body's bytes through `read` the first time anything asks, and shares that read. Hono looks in
 * its body cache first (hono/dist/request.js): an entry there, even a getter, is what it returns.
 */
export function readBodyOnFirstUse(c: Context<AppEnv>, read: () => Promise<Uint8Array>): void {
  let bytes: Promise<Uint8Array> | undefined;
  // Typed as the value, stored as a promise of it: see hono/dist/request.js.
  Object.defineProperty(c.req.bodyCache, 'arrayBuffer', { enumerable: true, configurable: true, get: () => (bytes ??= read()) });
}
