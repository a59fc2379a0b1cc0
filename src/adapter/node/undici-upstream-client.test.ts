// The Node outbound client against real servers on 127.0.0.1: what undici 8 changed underneath
// it (HTTP/2 offered by default over TLS, the signals it documents) must not change what the
// gateway does on the wire.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAbortSource } from '../../http/abort-signal-like.ts';
import { parseUpstreamPolicy } from '../../security/parse-upstream-policy.ts';
import { createGuardedConnector } from './guarded-lookup.ts';
import { createUndiciUpstreamClient, type UndiciUpstream } from './undici-upstream-client.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function listen(server: http.Server | http2.Http2SecureServer): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    closers.push(() => new Promise((done) => server.close(() => done())));
  });
}

function clientFor(port: number, connect: Record<string, unknown> = {}): UndiciUpstream {
  const upstream = createUndiciUpstreamClient({ connect: createGuardedConnector(parseUpstreamPolicy(`127.0.0.1:${port}`), { connect }) });
  closers.push(() => upstream.close());
  return upstream;
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of body) text += Buffer.from(chunk).toString();
  return text;
}

describe('TLS upstreams', () => {
  let key: string;
  let cert: string;
  beforeAll(() => {
    // A certificate for 127.0.0.1 made here, so the client verifies it for real (no rejectUnauthorized: false).
    const folder = mkdtempSync(join(tmpdir(), 'upstream-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem')], { stdio: 'ignore' });
    key = readFileSync(join(folder, 'key.pem'), 'utf8');
    cert = readFileSync(join(folder, 'cert.pem'), 'utf8');
    rmSync(folder, { recursive: true });
  });

  it('speaks HTTP/1.1 to an upstream that would take HTTP/2', async () => {
    const versions: string[] = [];
    const server = http2.createSecureServer({ key, cert, allowHTTP1: true }, (request, response) => {
      versions.push(request.httpVersion);
      response.end('ok');
    });
    const port = await listen(server);
    const { client } = clientFor(port, { ca: cert });

    const response = await client({ url: `https://127.0.0.1:${port}/v1/models`, method: 'GET', headers: {}, signal: createAbortSource().signal });

    expect(response.status).toBe(200);
    expect(await readAll(response.body)).toBe('ok');
    expect(versions).toEqual(['1.1']);
  });
});

describe('abort signals', () => {
  it('ends the upstream request when the signal fires in the middle of the body', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const server = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
      response.on('close', upstreamClosed);
    });
    const port = await listen(server);
    const { client } = clientFor(port);
    const source = createAbortSource();

    const response = await client({ url: `http://127.0.0.1:${port}/v1/chat/completions`, method: 'POST', headers: {}, body: '{}', signal: source.signal });
    const chunks = response.body[Symbol.asyncIterator]();
    expect(Buffer.from((await chunks.next()).value as Uint8Array).toString()).toBe('data: first\n\n');
    source.abort();

    await expect(chunks.next()).rejects.toMatchObject({ code: 'UND_ERR_ABORTED' });
    await closed;
  });

  it('refuses a signal that has already fired, before any connection', async () => {
    let connections = 0;
    const server = http.createServer((_request, response) => response.end());
    server.on('connection', () => connections++);
    const port = await listen(server);
    const { client } = clientFor(port);
    const source = createAbortSource();
    source.abort();

    await expect(client({ url: `http://127.0.0.1:${port}/v1/models`, method: 'GET', headers: {}, signal: source.signal })).rejects.toMatchObject({ code: 'UND_ERR_ABORTED' });
    expect(connections).toBe(0);
  });
});
