import { EventEmitter } from 'node:events';
import { Agent, errors, request, type buildConnector } from 'undici';
import type { AbortSignalLike } from '../../http/abort-signal-like.ts';
import { UpstreamConnectBlockedError, type UpstreamClient } from '../../upstream/upstream-client.ts';

// The Node outbound call, on undici's dispatcher API: WHATWG fetch costs ~300 µs of CPU per
// request on Node, `request()` a fraction of that. Keep-alive connections are pooled per origin,
// redirects are never followed (undici's request() has no redirect handling unless asked), and
// DNS answers go through the connect-time guard, so a name that rebinds to a private address is
// refused before a socket opens. Deadlines are the core's (call-upstream.ts), not undici's.
// HTTP/1.1 only, as before undici 8, which offers HTTP/2 over TLS by default: the pooling, the
// discard() of an unread body and the measured costs (bench/README.md) are HTTP/1.1's.

export interface UndiciUpstream {
  client: UpstreamClient;
  close(): Promise<void>;
}

export function createUndiciUpstreamClient(options: { connect?: buildConnector.connector } = {}): UndiciUpstream {
  const agent = new Agent({
    allowH2: false,
    keepAliveTimeout: 30_000,
    headersTimeout: 0,
    bodyTimeout: 0,
    ...(options.connect ? { connect: options.connect } : {}),
  });
  const client: UpstreamClient = async (upstreamRequest) => {
    try {
      const response = await request(upstreamRequest.url, {
        method: upstreamRequest.method,
        headers: upstreamRequest.headers,
        body: upstreamRequest.body,
        signal: abortEmitterOf(upstreamRequest.signal),
        dispatcher: agent,
      });
      return {
        status: response.statusCode,
        header(name) {
          const value = response.headers[name];
          return Array.isArray(value) ? value.join(', ') : value;
        },
        body: response.body,
        discard() {
          if (response.body.destroyed) return;
          // Destroying emits an AbortError on the body; nobody is reading it any more.
          response.body.on('error', () => undefined);
          response.body.destroy();
        },
      };
    } catch (error) {
      if (isBlockedConnect(error)) throw new UpstreamConnectBlockedError();
      throw error;
    }
  };
  return { client, close: () => agent.close() };
}

/**
 * undici 8 documents an AbortSignal or an EventEmitter that emits 'abort'. The core's lighter
 * signal (abort-signal-like.ts) is neither: undici 8 would hand it to node:events'
 * addAbortListener, documented for AbortSignals only. An emitter is the cheaper documented choice
 * (0.1-0.3 µs against 0.3-0.6 µs for an AbortController with its listener, Node 24 and 22 here).
 */
function abortEmitterOf(signal: AbortSignalLike): EventEmitter {
  // An emitter has no `aborted` for undici to look at before it connects.
  if (signal.aborted) throw new errors.RequestAbortedError();
  const emitter = new EventEmitter();
  signal.addEventListener('abort', () => emitter.emit('abort'), { once: true });
  return emitter;
}

function isBlockedConnect(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ((current as NodeJS.ErrnoException).code === 'EUPSTREAMBLOCKED') return true;
  }
  return false;
}
