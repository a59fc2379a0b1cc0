import type { ServerResponse } from 'node:http';

// Low-level answer writing shared by both protocols: SSE framing, a step runner that paces
// writes and stops the moment the client goes away, and plain JSON/raw answers.

/**
 * One step of a scripted answer body: a string or Buffer is one `res.write` (one chunk the
 * client may see on its own), a number is a pause in milliseconds before the next write.
 * Scripts are iterables, often generators, so a step is built only when it is about to be
 * sent (the benchmark stamps each chunk with its send time) and long scripts cost no memory.
 */
export type StreamStep = string | Buffer | number;

/** What `GET /__control/stream-progress` reports about the latest request of a scenario. */
export interface StreamProgress {
  chunksWritten: number;
  finished: boolean;
  aborted: boolean;
}

export type LineEnding = '\n' | '\r\n';

/** How a script ends: `end` closes the body; `hang` leaves it open and silent until the client leaves. */
export type StreamEnding = 'end' | 'hang';

/** OpenAI's framing: data lines only, the JSON on one line, a blank line after each event. */
export function dataFrame(json: string, eol: LineEnding = '\n'): string {
  return `data: ${json}${eol}${eol}`;
}

/** Anthropic's framing: a named event, its JSON (which repeats the name in `type`), a blank line. */
export function eventFrame(event: string, json: string, eol: LineEnding = '\n'): string {
  return `event: ${event}${eol}data: ${json}${eol}${eol}`;
}

export function startEventStream(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    // Both providers send the charset parameter; a client must not compare the whole header.
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...headers,
  });
}

/** A complete answer in one write, with Content-Length (what both providers do for JSON). */
export function sendBody(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  progress?: StreamProgress,
  headers: Record<string, string> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(bytes.length), ...headers });
  res.end(bytes);
  if (progress) progress.chunksWritten++;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, progress?: StreamProgress, headers: Record<string, string> = {}): void {
  sendBody(res, status, 'application/json', JSON.stringify(body), progress, headers);
}

/**
 * Writes the steps in order, honouring pauses and back-pressure. When the socket closes first
 * (the client aborted), it writes nothing more and clears its timer, so a test can prove that
 * the upstream stopped producing; `aborted`/`finished` are set by the server from the response's
 * own events. Resolves when the script is done or the client has gone.
 */
export function runSteps(res: ServerResponse, steps: Iterable<StreamStep>, progress: StreamProgress, ending: StreamEnding = 'end'): Promise<void> {
  return new Promise((resolve) => {
    const iterator = steps[Symbol.iterator]();
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    const onClose = () => {
      closed = true;
      if (timer) clearTimeout(timer);
      resolve();
    };
    res.once('close', onClose);

    const next = (): void => {
      timer = undefined;
      for (;;) {
        if (closed || res.destroyed) return;
        const step = iterator.next();
        if (step.done) {
          if (ending === 'end') {
            res.off('close', onClose);
            res.end();
            resolve();
          }
          // 'hang': stay silent; onClose resolves once the client gives up.
          return;
        }
        const value = step.value;
        if (typeof value === 'number') {
          timer = setTimeout(next, value);
          return;
        }
        progress.chunksWritten++;
        if (!res.write(value)) {
          // Slow reader: wait for the socket to drain rather than buffering without bound.
          res.once('drain', next);
          return;
        }
      }
    };
    next();
  });
}

/**
 * Splits one frame into two writes in the middle of its data line, with a pause between them,
 * so the client receives half an event in one TCP segment and must keep it until the rest arrives.
 */
export function splitFrameInTwo(frame: string, pauseMs = 20): StreamStep[] {
  const dataStart = frame.indexOf('data: ');
  const cut = dataStart + Math.floor((frame.length - dataStart) / 2);
  return [frame.slice(0, cut), pauseMs, frame.slice(cut)];
}

/**
 * Splits a frame into raw Buffers cutting through the UTF-8 bytes of each given character
 * (after its first byte), with a pause between writes: a client that decodes each chunk on its
 * own instead of streaming the decoder gets U+FFFD instead of the character.
 */
export function splitInsideCharacters(frame: string, characters: string[], pauseMs = 20): StreamStep[] {
  const bytes = Buffer.from(frame);
  const cuts: number[] = [];
  let from = 0;
  for (const character of characters) {
    const at = bytes.indexOf(Buffer.from(character), from);
    if (at === -1) throw new Error(`splitInsideCharacters: ${character} is not in the frame`);
    cuts.push(at + 1);
    from = at + 1;
  }
  const steps: StreamStep[] = [];
  let start = 0;
  for (const cut of cuts) {
    steps.push(bytes.subarray(start, cut), pauseMs);
    start = cut;
  }
  steps.push(bytes.subarray(start));
  return steps;
}

/** Waits `ms` unless the client leaves first; resolves whether the answer should still be sent. */
export function waitUnlessClosed(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve(false);
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}
