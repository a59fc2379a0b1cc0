import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { ADMIN_TOKEN, CLIENT_TOKEN } from '../support/target.ts';

// The Node adapter reads request bodies from the socket stream itself (node-request-io.ts). What
// the shared behaviour suite does not reach: clients that stop half-way, bodies that arrive in
// pieces, and what the connection can still do afterwards.

let target: NodeTarget;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(() => target.close());

function rawExchange(request: string | Array<string | Buffer>, { endAfter = true } = {}): Promise<string> {
  const { port } = new URL(target.apiBase);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', async () => {
      for (const piece of Array.isArray(request) ? request : [request]) {
        socket.write(piece);
        await new Promise((resume) => setTimeout(resume, 5));
      }
      if (endAfter) socket.end();
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    // A server that answers early and closes (the 413) resets a connection the client is still
    // writing to; what the client was sent before the reset is the answer.
    socket.on('error', (error: NodeJS.ErrnoException) => (answer && (error.code === 'ECONNRESET' || error.code === 'EPIPE') ? resolve(answer) : reject(error)));
  });
}

const chatBody = JSON.stringify({ model: 'nobody/model', messages: [{ role: 'user', content: 'hi' }] });

describe('request bodies read from the socket', () => {
  it('reassembles a chunked body sent in many small pieces, split inside multi-byte characters', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'é✓🔑'.repeat(20), baseUrl: 'not a url', apiKey: 'x', routingMethod: 'openai' }));
    const pieces = [Buffer.from(`POST /api/v1/providers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`)];
    for (let offset = 0; offset < body.length; offset += 7) {
      const part = body.subarray(offset, offset + 7);
      pieces.push(Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]));
    }
    pieces.push(Buffer.from('0\r\n\r\n'));
    const answer = await rawExchange(pieces);
    // The body parsed whole: validation reached the baseUrl field.
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('"field":"baseUrl"');
  });

  it('survives a client that disconnects half-way through its body, and logs no server error', async () => {
    const before = target.logs().length;
    const answer = await rawExchange(
      `POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${CLIENT_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${chatBody.length + 100}\r\n\r\n${chatBody}`,
    );
    // Node's parser answers the half request 400 itself when the client half-closes; never a 5xx.
    expect(answer).not.toMatch(/^HTTP\/1\.1 5/);
    await new Promise((resume) => setTimeout(resume, 50));
    const lines = target.logs().slice(before).map((line) => JSON.parse(line) as { level: string; message: string; status?: number });
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    // The request finished (it did not hang waiting for the rest of the body), as a client abort.
    expect(lines.filter((line) => line.message === 'request').map((line) => line.status)).toEqual([499]);
    expect((await target.fetch('/health')).status).toBe(200);
  });

  it('answers a body that outgrows its Content-Length-less stream with 413 and closes the connection', async () => {
    const head = `POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${CLIENT_TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const piece = 'x'.repeat(64 * 1024);
    const chunk = `${piece.length.toString(16)}\r\n${piece}\r\n`;
    const answer = await rawExchange([head, ...Array.from({ length: 6 }, () => chunk)], { endAfter: false });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('PAYLOAD_TOO_LARGE');
  });
});
