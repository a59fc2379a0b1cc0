// An event stream as a Response body: frames already in SSE form, each pulled from its source
// when the runtime asks for more and encoded then, so the client's own pace (backpressure) paces
// the upstream. One ReadableStream with a pull source, where hono's streamSSE builds a
// TransformStream, a writer, a reader and a second ReadableStream per answer and goes through all
// of them for every write (about 200 µs of CPU per streamed chat on Node 20, bench/README.md).
// A runtime adapter that writes to its socket itself may take the frames from frameSourceOf()
// and never read the stream (the Node server does).

export interface FrameSource {
  frames: AsyncIterable<string>;
  /** The reader went away before the end: stop producing at once. */
  cancel(): void;
}

const sources = new WeakMap<ReadableStream<Uint8Array>, FrameSource>();

export function eventStreamBody(source: FrameSource): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = source.frames[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      },
      async cancel() {
        source.cancel();
        await iterator.return?.();
      },
    },
    // Nothing is pulled before a reader asks: no frame waits in a queue, and a runtime that takes
    // the frames from frameSourceOf() finds all of them still there.
    { highWaterMark: 0 },
  );
  sources.set(body, source);
  return body;
}

/** The source behind a body made here, while nobody has started reading the body itself. */
export function frameSourceOf(body: unknown): FrameSource | undefined {
  if (!(body instanceof ReadableStream) || body.locked) return undefined;
  return sources.get(body);
}
