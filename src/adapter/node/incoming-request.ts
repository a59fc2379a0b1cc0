import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

// The standard Request the app sees for a Node request, built only as far as it is read: method,
// url and headers come straight from Node's IncomingMessage (Hono's routing and c.req.header()
// need no more), and anything else (the body as a stream, text(), the signal, clone()) first builds
// a full WHATWG Request over the socket. The app reads bodies through RequestIo instead
// (node-request-io.ts), because that full Request costs about 100 µs of CPU on Node 20. The same
// design as @hono/node-server's request.ts, whose listener this adapter replaces.

const kIncoming = Symbol('incoming');
const kOutgoing = Symbol('outgoing');
const kUrl = Symbol('url');
const kHeaders = Symbol('headers');
const kRequest = Symbol('request');

interface IncomingRequest extends Request {
  [kIncoming]: IncomingMessage;
  [kOutgoing]: ServerResponse;
  [kUrl]: string;
  [kHeaders]?: Headers;
  [kRequest]?: Request;
}

const GlobalRequest = globalThis.Request;

/** Thrown for a request whose target or Host cannot make a URL; answered 400. */
export class BadRequestTargetError extends Error {}

/** The URL as @hono/node-server builds it (normalised by URL, so Hono routes on the same path). */
function urlOf(incoming: IncomingMessage): string {
  const target = incoming.url ?? '/';
  // A backslash in the path would be read as a slash by some URL parsers and not by others.
  const backslash = target.indexOf('\\');
  if (backslash !== -1) {
    const query = target.indexOf('?');
    if (query === -1 || backslash < query) throw new BadRequestTargetError('Backslash in request path');
  }
  try {
    if (target[0] !== '/' && (target.startsWith('http://') || target.startsWith('https://'))) return new URL(target).href;
    const host = incoming.headers.host;
    if (!host) throw new BadRequestTargetError('Missing Host header');
    const scheme = (incoming.socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http';
    const url = new URL(`${scheme}://${host}${target}`);
    // A Host that is more than a host and a port would move the path Hono routes on.
    if (url.hostname.length !== host.length && url.hostname !== host.replace(/:\d+$/, '')) throw new BadRequestTargetError('Invalid Host header');
    return url.href;
  } catch (error) {
    throw error instanceof BadRequestTargetError ? error : new BadRequestTargetError('Invalid request target', { cause: error });
  }
}

export function toWebRequest(incoming: IncomingMessage, outgoing: ServerResponse): Request {
  const request = Object.create(prototype) as IncomingRequest;
  request[kIncoming] = incoming;
  request[kOutgoing] = outgoing;
  request[kUrl] = urlOf(incoming);
  return request;
}

function headersOf(request: IncomingRequest): Headers {
  if (request[kHeaders] === undefined) {
    const raw = request[kIncoming].rawHeaders;
    const pairs: [string, string][] = [];
    for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
    request[kHeaders] = new Headers(pairs);
  }
  return request[kHeaders];
}

function fullRequest(request: IncomingRequest): Request {
  if (request[kRequest] === undefined) {
    const incoming = request[kIncoming];
    const outgoing = request[kOutgoing];
    const controller = new AbortController();
    // The client went away before its answer was complete.
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) controller.abort();
    });
    const method = incoming.method ?? 'GET';
    const init: RequestInit & { duplex?: 'half' } = { method, headers: headersOf(request), signal: controller.signal };
    if (method !== 'GET' && method !== 'HEAD') {
      init.body = Readable.toWeb(incoming) as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
    request[kRequest] = new GlobalRequest(request[kUrl], init);
  }
  return request[kRequest];
}

const prototype: object = Object.create(GlobalRequest.prototype, {
  method: {
    get(this: IncomingRequest) {
      return this[kIncoming].method ?? 'GET';
    },
  },
  url: {
    get(this: IncomingRequest) {
      return this[kUrl];
    },
  },
  headers: {
    get(this: IncomingRequest) {
      return headersOf(this);
    },
  },
});
for (const name of ['body', 'bodyUsed', 'cache', 'credentials', 'destination', 'integrity', 'keepalive', 'mode', 'redirect', 'referrer', 'referrerPolicy', 'signal', 'duplex']) {
  Object.defineProperty(prototype, name, {
    get(this: IncomingRequest) {
      return (fullRequest(this) as unknown as Record<string, unknown>)[name];
    },
  });
}
for (const name of ['arrayBuffer', 'blob', 'bytes', 'clone', 'formData', 'json', 'text']) {
  Object.defineProperty(prototype, name, {
    value(this: IncomingRequest) {
      const full = fullRequest(this) as unknown as Record<string, () => unknown>;
      return full[name]!.call(full);
    },
  });
}
