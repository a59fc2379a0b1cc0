import { Agent, request, type buildConnector } from 'undici';
import { UpstreamConnectBlockedError, type UpstreamClient } from '../../upstream/upstream-client.ts';

// The Node outbound call, on undici's dispatcher API: WHATWG fetch costs ~300 µs of CPU per
// request on Node, `request()` a fraction of that. Keep-alive connections are pooled per origin,
// redirects are never followed (undici's request() has no redirect handling unless asked), and
// DNS answers go through the connect-time guard, so a name that rebinds to a private address is
// refused before a socket opens. Deadlines are the core's (call-upstream.ts), not undici's.

export interface UndiciUpstream {
  client: UpstreamClient;
  close(): Promise<void>;
}

export function createUndiciUpstreamClient(options: { connect?: buildConnector.connector } = {}): UndiciUpstream {
  const agent = new Agent({
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
        signal: upstreamRequest.signal,
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

function isBlockedConnect(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ((current as NodeJS.ErrnoException).code === 'EUPSTREAMBLOCKED') return true;
  }
  return false;
}
