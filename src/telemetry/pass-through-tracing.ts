import type { Tracing } from './tracing.ts';

// Tracing without a tracer (Workers, and Node without an OTLP endpoint): no span is recorded, but
// the W3C trace context still reaches the upstream, so its own traces join the caller's. The
// upstream gets the client's `traceparent` (and `tracestate`) as it came, or, when the client sent
// none (or a malformed one), a new one per request, not sampled: nothing on the gateway's side
// was recorded under it. https://www.w3.org/TR/trace-context/#traceparent-header

// Version 00 (a later version's first fields read the same), neither id all zeros.
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

const randomHex = () => crypto.randomUUID().replaceAll('-', '');

export const passThroughTracing: Tracing = {
  startRequest(c) {
    let headers: Record<string, string> | undefined;
    const attempt = {
      get headers() {
        if (headers) return headers;
        const incoming = c.req.header('traceparent')?.trim();
        const state = c.req.header('tracestate');
        if (incoming === undefined || !TRACEPARENT.test(incoming)) headers = { traceparent: `00-${randomHex()}-${randomHex().slice(0, 16)}-00` };
        else headers = state === undefined ? { traceparent: incoming } : { traceparent: incoming, tracestate: state };
        return headers;
      },
      end() {},
    };
    return { answered() {}, annotate() {}, startAttempt: () => attempt };
  },
};
