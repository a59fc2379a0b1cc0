import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventStreamBody } from '../../http/event-stream-body.ts';
import { attachFrames } from './light-response.ts';
import { createRequestListener, type FetchHandler } from './request-listener.ts';

// The Node server adapter on its own, with a fetch handler per test; the whole behaviour suite
// also runs through it (test/support/node-target.ts listens with it). What that suite does not
// reach: the Request's lazily built parts, every kind of Response body, the frame fast path's
// cancel, bad request targets, and a connection that carries on after an unread body.

let handler: FetchHandler = () => new Response('unset');
let server: Server;
let base: string;
let port: number;
beforeAll(async () => {
  server = createServer(createRequestListener((request, bindings) => handler(request, bindings)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Bytes on the wire, for what fetch would normalise away. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const frames = async function* (...texts: string[]) {
  yield* texts;
};

describe('the Request the app sees', () => {
  it('is a standard Request with the method, URL and headers, and its body and signal built on use', async () => {
    let seen: Record<string, unknown> = {};
    handler = async (request) => {
      seen = {
        isRequest: request instanceof Request,
        method: request.method,
        url: request.url,
        type: request.headers.get('content-type'),
        custom: request.headers.get('x-custom'),
        body: await request.text(),
        aborted: request.signal.aborted,
      };
      return new Response('ok');
    };
    const response = await fetch(`${base}/api/v1/thing?x=1`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-custom': 'yes' }, body: 'é✓ body' });
    expect(await response.text()).toBe('ok');
    expect(seen).toEqual({ isRequest: true, method: 'POST', url: `${base}/api/v1/thing?x=1`, type: 'text/plain', custom: 'yes', body: 'é✓ body', aborted: false });
  });

  it('normalises the path as a URL does, so routes match what a client meant', async () => {
    let url = '';
    handler = (request) => {
      url = request.url;
      return new Response(null, { status: 204 });
    };
    await raw('GET /api/v1/../v2/./x%41 HTTP/1.1\r\nHost: example.test:80\r\nConnection: close\r\n\r\n');
    expect(url).toBe('http://example.test/api/v2/x%41');
  });

  it('aborts the signal of a request whose client leaves before the answer', async () => {
    let aborted: Promise<boolean> | undefined;
    handler = (request) => {
      aborted = new Promise((resolve) => request.signal.addEventListener('abort', () => resolve(true)));
      return new Promise(() => undefined);
    };
    const controller = new AbortController();
    const pending = fetch(`${base}/slow`, { signal: controller.signal }).catch(() => 'gone');
    while (aborted === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(await pending).toBe('gone');
    expect(await aborted).toBe(true);
  });

  it('answers 400 to a path with a backslash or a Host that is more than a host', async () => {
    handler = () => new Response('reached');
    expect(await raw('GET /a\\b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw('GET / HTTP/1.1\r\nHost: x/evil\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw('GET /ok?q=a\\b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 [^]*reached$/);
  });

  it('routes an absolute-form target by its own URL', async () => {
    let url = '';
    handler = (request) => {
      url = request.url;
      return new Response(null, { status: 204 });
    };
    expect(await raw('GET http://example.test/p HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 204 /);
    expect(url).toBe('http://example.test/p');
  });
});

describe('the Response the app returns', () => {
  it('writes a string with its Content-Length, and the default Content-Type when none was given', async () => {
    handler = () => new Response('héllo', { status: 201, headers: { 'x-a': '1' } });
    const answer = await raw('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer).toContain('content-type: text/plain; charset=UTF-8\r\n');
    expect(answer).toContain('content-length: 6\r\n');
    expect(answer).toContain('x-a: 1\r\n');
    expect(answer.endsWith('h\xc3\xa9llo')).toBe(true);
  });

  it('writes bytes, empty answers, one Set-Cookie line per cookie, and keeps a Content-Length given', async () => {
    const headers = new Headers({ 'content-type': 'application/octet-stream' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    handler = () => new Response(new Uint8Array([1, 2, 3]), { headers });
    const bytes = await fetch(base);
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(bytes.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(bytes.headers.get('content-length')).toBe('3');

    handler = () => new Response(null, { status: 204 });
    expect((await fetch(base)).status).toBe(204);
  });

  it('reads any other body through the WHATWG Response: a Blob, a stream, a Response already read from', async () => {
    handler = () => new Response(new Blob(['from a blob']));
    expect(await (await fetch(base)).text()).toBe('from a blob');

    handler = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('from '));
            controller.enqueue(new TextEncoder().encode('a stream'));
            controller.close();
          },
        }),
      );
    expect(await (await fetch(base)).text()).toBe('from a stream');

    handler = async () => {
      const original = new Response('cloned text', { headers: { 'x-b': '2' } });
      const copy = original.clone();
      expect(await original.text()).toBe('cloned text');
      return copy;
    };
    const cloned = await fetch(base);
    expect(cloned.headers.get('x-b')).toBe('2');
    expect(await cloned.text()).toBe('cloned text');
  });

  it('sends an event stream frame by frame, attached or as a body built by eventStreamBody', async () => {
    handler = () => {
      const response = new Response(null, { headers: { 'content-type': 'text/event-stream' } });
      expect(attachFrames(response, { frames: frames('data: 1\n\n', 'data: 2\n\n'), cancel: () => undefined })).toBe(true);
      return response;
    };
    const attached = await fetch(base);
    expect(attached.headers.get('content-type')).toBe('text/event-stream');
    expect(await attached.text()).toBe('data: 1\n\ndata: 2\n\n');

    handler = () => new Response(eventStreamBody({ frames: frames('data: 3\n\n'), cancel: () => undefined }));
    expect(await (await fetch(base)).text()).toBe('data: 3\n\n');
  });

  it('gives an attached event stream to a reader of the Response as a ReadableStream', async () => {
    handler = async () => {
      const response = new Response(null);
      attachFrames(response, { frames: frames('data: read\n\n'), cancel: () => undefined });
      return new Response(await response.text());
    };
    expect(await (await fetch(base)).text()).toBe('data: read\n\n');
  });

  it('cancels the frames of a client that leaves mid-stream, and stops asking for more', async () => {
    let cancelled!: () => void;
    const wasCancelled = new Promise<void>((resolve) => (cancelled = resolve));
    let asked = 0;
    async function* endless() {
      for (;;) {
        asked++;
        yield `data: ${asked}\n\n`;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    handler = () => {
      const response = new Response(null);
      attachFrames(response, { frames: endless(), cancel: cancelled });
      return response;
    };
    const controller = new AbortController();
    const response = await fetch(base, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await wasCancelled;
    const askedAtCancel = asked;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked).toBeLessThanOrEqual(askedAtCancel + 1);
  });
});

describe('the connection', () => {
  it('carries the next request after an answer that left the request body unread', async () => {
    handler = (request) => new Response(`seen ${request.method}`, { status: 404 });
    const body = 'x'.repeat(100_000);
    const answer = await raw(
      `POST /first HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(answer.match(/HTTP\/1\.1 404 /g)).toHaveLength(2);
    expect(answer).toContain('seen POST');
    expect(answer).toContain('seen GET');
  });

  it('answers 500 with no body, and no message, when the handler itself throws', async () => {
    // The app answers its own errors (app.onError); this is the listener's last resort.
    handler = () => {
      throw new Error('the handler broke');
    };
    const answer = await raw('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 500 /);
    expect(answer).not.toContain('the handler broke');
  });
});
