import type { UpstreamClient } from './upstream-client.ts';

// The outbound call on Workers (and any runtime with Web fetch): redirects come back as they are
// (`redirect: 'manual'`), never followed, so a provider cannot bounce the key elsewhere. The body
// is read through one reader, which lets discard() cancel it even while it is being iterated (a
// locked stream cannot be cancelled from outside its reader).

export function createFetchUpstreamClient(fetchImplementation: typeof fetch = fetch): UpstreamClient {
  return async (request) => {
    // fetch wants a real AbortSignal; the core's may be a lighter one (abort-signal-like.ts).
    const controller = new AbortController();
    if (request.signal.aborted) controller.abort();
    else request.signal.addEventListener('abort', () => controller.abort(), { once: true });
    const response = await fetchImplementation(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: controller.signal,
      redirect: 'manual',
    });
    const stream = response.body;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let discarded = false;
    return {
      status: response.status,
      header: (name) => response.headers.get(name) ?? undefined,
      body: {
        async *[Symbol.asyncIterator]() {
          if (!stream || discarded) return;
          reader = stream.getReader();
          try {
            for (;;) {
              const { done, value } = await reader.read();
              if (done) return;
              yield value;
            }
          } finally {
            // Reached when the consumer stops early too: nothing more will be read.
            if (!discarded) void reader.cancel().catch(() => undefined);
          }
        },
      },
      discard() {
        if (discarded) return;
        discarded = true;
        void (reader ?? stream)?.cancel().catch(() => undefined);
      },
    };
  };
}
