// The one outbound call the core makes, injected per runtime: Web fetch on Workers, undici's
// dispatcher API on Node (WHATWG fetch costs ~300 µs of CPU per request there). Redirects are
// never followed by any implementation.

import type { AbortSignalLike } from '../http/abort-signal-like.ts';

export interface UpstreamRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignalLike;
}

export interface UpstreamResponse {
  status: number;
  header(name: string): string | undefined;
  /** Byte chunks as they arrive; a Node Readable and a Web ReadableStream both fit. */
  body: AsyncIterable<Uint8Array>;
  /** Releases the connection without reading the rest of the body. */
  discard(): void;
}

export type UpstreamClient = (request: UpstreamRequest) => Promise<UpstreamResponse>;

/** Thrown by a client when the connect-time guard refused the resolved address (DNS rebinding). */
export class UpstreamConnectBlockedError extends Error {
  constructor() {
    super('The provider address is not allowed by this server\'s outbound policy');
    this.name = 'UpstreamConnectBlockedError';
  }
}
