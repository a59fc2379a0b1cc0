// The Response class the app builds its answers with on Node: a standard Response to anything
// that uses it (instanceof Response, status, headers, body, text(), clone()...), which keeps the
// body and init as given until something other than status and headers is asked for, and only
// then builds the WHATWG Response. The Node writer (write-response.ts) hands a string body or a
// frame stream to the socket as it is: building the WHATWG Response for a string body and reading
// it back costs about 60 µs of CPU on Node 20 (bench/README.md). The same design as
// @hono/node-server's response.ts, whose listener this adapter replaces; installed as the global
// Response by the listener, as @hono/node-server installs its own.

import { eventStreamBody, type FrameSource } from '../../http/event-stream-body.ts';

export const GlobalResponse = globalThis.Response;

const kBody = Symbol('body');
const kStatus = Symbol('status');
const kInit = Symbol('init');
const kHeaders = Symbol('headers');
const kFull = Symbol('full');
const kFrames = Symbol('frames');

interface Kept {
  [kBody]: BodyInit | null;
  [kStatus]: number;
  [kInit]: ResponseInit | undefined;
  [kHeaders]?: Headers;
  [kFull]?: Response;
  [kFrames]?: FrameSource;
}

export class LightResponse {
  constructor(body?: BodyInit | null, init?: ResponseInit) {
    const self = this as unknown as Kept;
    self[kBody] = body ?? null;
    self[kStatus] = init?.status ?? 200;
    // A Response given as init (Hono copies responses this way) has its headers copied, as the
    // WHATWG constructor would; a plain init's Headers object is kept as it is.
    if (init instanceof GlobalResponse) self[kHeaders] = new Headers(init.headers);
    self[kInit] = init;
  }

  get status(): number {
    const self = this as unknown as Kept;
    return self[kFull]?.status ?? self[kStatus];
  }

  get headers(): Headers {
    const self = this as unknown as Kept;
    if (self[kFull]) return self[kFull].headers;
    if (self[kHeaders] === undefined) {
      const given = self[kInit]?.headers;
      self[kHeaders] = given instanceof Headers ? given : new Headers(given);
    }
    return self[kHeaders];
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
}

/** The body as the app gave it (or the frames given to it), while nothing has read it through the WHATWG Response. */
export function keptBody(response: Response): { body: BodyInit | null; frames: FrameSource | undefined } | undefined {
  const self = response as unknown as Kept;
  return response instanceof LightResponse && self[kFull] === undefined ? { body: self[kBody], frames: self[kFrames] } : undefined;
}

/**
 * Makes an answer without a body into one whose body is these frames, without building the
 * ReadableStream until something reads it; false when this is not a LightResponse (the global
 * Response was not replaced: app.request() in tests).
 */
export function attachFrames(response: Response, frames: FrameSource): boolean {
  const self = response as unknown as Kept;
  if (!(response instanceof LightResponse) || self[kFull] !== undefined || self[kBody] !== null) return false;
  self[kFrames] = frames;
  return true;
}

function fullResponse(response: LightResponse): Response {
  const self = response as unknown as Kept;
  const body = self[kFrames] ? eventStreamBody(self[kFrames]) : self[kBody];
  self[kFull] ??= new GlobalResponse(body, { status: self[kStatus], statusText: self[kInit]?.statusText ?? '', headers: response.headers });
  return self[kFull];
}

for (const name of ['body', 'bodyUsed', 'redirected', 'statusText', 'type', 'url']) {
  Object.defineProperty(LightResponse.prototype, name, {
    get(this: LightResponse) {
      return (fullResponse(this) as unknown as Record<string, unknown>)[name];
    },
  });
}
for (const name of ['arrayBuffer', 'blob', 'bytes', 'clone', 'formData', 'json', 'text']) {
  Object.defineProperty(LightResponse.prototype, name, {
    value(this: LightResponse) {
      const full = fullResponse(this) as unknown as Record<string, () => unknown>;
      return full[name]!.call(full);
    },
  });
}
// instanceof Response, and Response.json() / Response.error() / Response.redirect(), as before.
Object.setPrototypeOf(LightResponse, GlobalResponse);
Object.setPrototypeOf(LightResponse.prototype, GlobalResponse.prototype);

/** Makes `new Response(...)` anywhere in this process a LightResponse; idempotent. */
export function installLightResponse(): void {
  if (globalThis.Response !== (LightResponse as unknown as typeof Response)) {
    Object.defineProperty(globalThis, 'Response', { value: LightResponse, writable: true, configurable: true });
  }
}
