import type { Tracing } from './tracing.ts';

// Tracing without a tracer (Workers, and Node without an OTLP endpoint): no span is recorded, but
// the W3C trace context still reaches the upstream, so its own traces join the caller's. The
// upstream gets the client's `traceparent` (and `tracestate`) as it came, or, when the client sent
// none (or a malformed one), a new one per request, not sampled: nothing on the gateway's side
// was recorded under it. https://www.w3.org/TR/trace-context/#traceparent-header

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** A well-formed traceparent: version not ff (a future version may append fields), ids not all zeros. */
export function isValidTraceparent(value: string): boolean {
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return false;
  const [, version, traceId, parentId, , rest] = match;
  return version !== 'ff' && (version !== '00' || rest === undefined) && !/^0+$/.test(traceId!) && !/^0+$/.test(parentId!);
}

function newTraceparent(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `00-${hex.slice(0, 32)}-${hex.slice(32)}-00`;
}

export const passThroughTracing: Tracing = {
  startRequest(c) {
    let headers: Record<string, string> | undefined;
    const attempt = {
      get headers() {
        if (headers) return headers;
        const incoming = c.req.header('traceparent');
        if (incoming !== undefined && isValidTraceparent(incoming)) {
          const state = c.req.header('tracestate');
          headers = state === undefined ? { traceparent: incoming.trim() } : { traceparent: incoming.trim(), tracestate: state };
        } else headers = { traceparent: newTraceparent() };
        return headers;
      },
      recording: false,
      end() {},
    };
    return {
      answered() {},
      annotate() {},
      startAttempt: () => attempt,
    };
  },
};
