import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { ConfigError, parseConfig } from '../../src/config/config-schema.ts';
import { createKeyCipher, generateSalt } from '../../src/crypto/key-cipher.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { openApiJson } from '../../src/openapi/openapi-json.ts';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { openJsonFileBackend } from '../../src/adapter/node/json-file-backend.ts';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { adminHeaders, behaviourEnvironment, jsonInit } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';

// Protections whose set-up only the Node runtime can vary per test: the outbound policy with
// private addresses denied, rate limits small enough to hit, and the server's socket timeouts.

/** A loopback listener that must never be reached: it counts every connection. */
async function startCanary(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server: Server = createServer((_, response) => response.end('canary'));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, connections: () => connections, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('outbound policy with private addresses denied (the default)', () => {
  let target: NodeTarget;
  let canary: Awaited<ReturnType<typeof startCanary>>;
  beforeAll(async () => {
    canary = await startCanary();
    target = await startTarget({ ALLOW_PRIVATE_UPSTREAMS: undefined });
  });
  afterAll(async () => {
    await target.close();
    await canary.close();
  });

  const forms = (port: number) => [
    `http://127.0.0.1:${port}/v1`,
    `http://2130706433:${port}/v1`,
    `http://0x7f.1:${port}/v1`,
    `http://127.1:${port}/v1`,
    `http://0:${port}/v1`,
    `http://[::1]:${port}/v1`,
    `http://[::ffff:127.0.0.1]:${port}/v1`,
    `http://[::ffff:7f00:1]:${port}/v1`,
    `http://[64:ff9b::7f00:1]:${port}/v1`,
    `http://localhost:${port}/v1`,
    `http://LOCALHOST.:${port}/v1`,
    `http://api.localhost:${port}/v1`,
    `http://db.internal:${port}/v1`,
    'http://10.0.0.1/v1',
    'http://172.16.0.1/v1',
    'http://192.168.1.1/v1',
    'http://100.64.0.1/v1',
    'http://169.254.169.254/latest/meta-data',
    'http://[fe80::1]/v1',
    'http://[fc00::1]/v1',
    'http://224.0.0.1/v1',
    'http://255.255.255.255/v1',
  ];

  it('refuses every private, loopback and encoded form at save time, before any connection', async () => {
    for (const baseUrl of forms(canary.port)) {
      const response = await target.fetch('/providers', jsonInit('POST', { name: `p-${crypto.randomUUID().slice(0, 6)}`, baseUrl, apiKey: 'sk-CANARY-ssrf-0001', routingMethod: 'openai' }));
      expect(response.status, baseUrl).toBe(400);
      const body = await response.json();
      expect(body.error.details.field).toBe('baseUrl');
      expect(body.error.message).not.toContain(String(canary.port));
    }
    expect(canary.connections()).toBe(0);
  });

  it('refuses a stored baseUrl that bypassed the API at every use, before any connection', async () => {
    // Write the provider straight into the file the server uses, as an attacker with file
    // access or an older version could have: the check at use time must still hold.
    const folder = await mkdtemp(join(tmpdir(), 'gateway-planted-'));
    const app = await startTarget({ ALLOW_PRIVATE_UPSTREAMS: 'true' }, folder);
    const created = await (await app.fetch('/providers', jsonInit('POST', { name: 'planted', baseUrl: `http://127.0.0.1:${canary.port}/v1`, apiKey: 'sk-CANARY-planted-0001', routingMethod: 'openai' }))).json();
    await app.close();
    const strict = await startTarget({ ALLOW_PRIVATE_UPSTREAMS: undefined }, folder);
    try {
      const uses: Array<[string, RequestInit]> = [
        ['/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'planted/gpt-test', messages: [{ role: 'user', content: 'Hi' }] }) }],
        ['/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'planted/gpt-test', stream: true, messages: [{ role: 'user', content: 'Hi' }] }) }],
        [`/providers/${created.id}/models`, {}],
      ];
      for (const [path, init] of uses) {
        const response = await strict.fetch(path, init);
        expect(response.status, path).toBe(502);
        expect((await response.json()).error.code).toBe('UPSTREAM_BLOCKED');
      }
      expect(await (await strict.fetch(`/providers/${created.id}/health`)).json()).toMatchObject({ status: 'error', error: { code: 'UPSTREAM_BLOCKED' } });
      expect(await (await strict.fetch(`/providers/${created.id}/test`, { method: 'POST', headers: adminHeaders })).json()).toMatchObject({ ok: false, error: { code: 'UPSTREAM_BLOCKED' } });
      expect(canary.connections()).toBe(0);
    } finally {
      await strict.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('allows exactly the host:port on an allow-list', async () => {
    const allowed = await startTarget({ ALLOW_PRIVATE_UPSTREAMS: `127.0.0.1:${canary.port}` });
    try {
      const ok = await allowed.fetch('/providers', jsonInit('POST', { name: 'allowed', baseUrl: `http://127.0.0.1:${canary.port}/v1`, apiKey: 'sk-CANARY-allow-0001', routingMethod: 'openai' }));
      expect(ok.status).toBe(201);
      const otherPort = await allowed.fetch('/providers', jsonInit('POST', { name: 'other', baseUrl: `http://127.0.0.1:${canary.port + 1}/v1`, apiKey: 'sk-CANARY-allow-0002', routingMethod: 'openai' }));
      expect(otherPort.status).toBe(400);
      const metadata = await allowed.fetch('/providers', jsonInit('POST', { name: 'meta', baseUrl: 'http://169.254.169.254/', apiKey: 'sk-CANARY-allow-0003', routingMethod: 'openai' }));
      expect(metadata.status).toBe(400);
    } finally {
      await allowed.close();
    }
  });
});

describe('rate limiting', () => {
  let target: NodeTarget;
  afterEach(() => target.close());

  it('answers 429 RATE_LIMITED with Retry-After and RateLimit headers, and a random X-Forwarded-For does not escape it', async () => {
    target = await startTarget({ RATE_LIMIT_MAX_REQUESTS: '5', RATE_LIMIT_WINDOW_MS: '60000' });
    const statuses: number[] = [];
    for (let index = 0; index < 8; index++) {
      const response = await target.fetch('/providers', { headers: { 'x-forwarded-for': `203.0.113.${index}` } });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(response.headers.get('ratelimit-limit')).toBe('5');
        expect(response.headers.get('ratelimit-remaining')).toBe('0');
        expect((await response.json()).error.code).toBe('RATE_LIMITED');
      } else {
        await response.body?.cancel();
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    // Health is not exempt either.
    expect((await target.fetch('/health')).status).toBe(429);
  });

  it('trusts X-Forwarded-For only for the declared number of proxy hops', async () => {
    target = await startTarget({ RATE_LIMIT_MAX_REQUESTS: '2', TRUST_PROXY: '1' });
    const from = (chain: string) => target.fetch('/providers', { headers: { 'x-forwarded-for': chain } });
    expect((await from('198.51.100.1')).status).toBe(200);
    expect((await from('198.51.100.1')).status).toBe(200);
    expect((await from('198.51.100.1')).status).toBe(429);
    // A client-written entry to the left of the trusted hop changes nothing.
    expect((await from('192.0.2.99, 198.51.100.1')).status).toBe(429);
    expect((await from('198.51.100.2')).status).toBe(200);
  });

  it('limits the routes that call out more tightly, and a limited chat never reaches the upstream', async () => {
    target = await startTarget({ OUTBOUND_RATE_LIMIT_MAX_REQUESTS: '2', RATE_LIMIT_MAX_REQUESTS: '12' });
    const provider = await (await target.fetch('/providers', jsonInit('POST', { name: 'limited', baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: 'sk-CANARY-limit-0001', routingMethod: 'openai', customHeaders: { 'x-test-run': 'rate-limit-run' } }))).json();
    const health = [];
    for (let index = 0; index < 3; index++) health.push((await target.fetch(`/providers/${provider.id}/health`)).status);
    expect(health).toEqual([200, 200, 429]);
    const chats: number[] = [];
    for (let index = 0; index < 10; index++) {
      const response = await target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'limited/gpt-test', messages: [{ role: 'user', content: 'Hi' }] }) });
      chats.push(response.status);
      await response.body?.cancel();
    }
    const allowed = chats.filter((status) => status === 200).length;
    expect(chats.slice(allowed).every((status) => status === 429)).toBe(true);
    const reached = (await upstreamControl(target.upstreamUrl).requests()).filter((request) => request.headers['x-test-run'] === 'rate-limit-run' && request.path.endsWith('/chat/completions'));
    expect(reached).toHaveLength(allowed);
  });

  it('with RATE_LIMIT_MAX_REQUESTS=off and OUTBOUND_RATE_LIMIT_MAX_REQUESTS=off, a burst well over the defaults passes with no RateLimit headers', async () => {
    target = await startTarget({ RATE_LIMIT_MAX_REQUESTS: 'off', OUTBOUND_RATE_LIMIT_MAX_REQUESTS: 'off' });
    const provider = await (await target.fetch('/providers', jsonInit('POST', { name: 'unlimited', baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: 'sk-CANARY-limit-0002', routingMethod: 'openai' }))).json();
    const rateHeaders = (response: Response) => [...response.headers.keys()].filter((name) => name.startsWith('ratelimit') || name === 'retry-after');
    const statuses: number[] = [];
    const seen: string[] = [];
    // 300 requests: three times the default limit (100), in concurrent batches.
    for (let batch = 0; batch < 15; batch++) {
      const responses = await Promise.all(Array.from({ length: 20 }, () => target.fetch('/providers')));
      for (const response of responses) {
        statuses.push(response.status);
        seen.push(...rateHeaders(response));
        await response.body?.cancel();
      }
    }
    // And 25 on-demand upstream calls, over the outbound default (10).
    for (let index = 0; index < 25; index++) {
      const response = await target.fetch(`/providers/${provider.id}/health`);
      statuses.push(response.status);
      seen.push(...rateHeaders(response));
      expect((await response.json()).status).toBe('ok');
    }
    expect(statuses).toEqual(Array(325).fill(200));
    expect(seen).toEqual([]);
  });
});

describe('slow clients', () => {
  it('closes sockets that trickle their headers, while other clients are served', async () => {
    const target = await startTarget({}, undefined, { headersTimeoutMs: 1_000 });
    const { port } = new URL(target.apiBase);
    const sockets = await Promise.all(
      Array.from({ length: 200 }, () =>
        new Promise<ReturnType<typeof connect>>((resolve) => {
          const socket = connect(Number(port), '127.0.0.1', () => {
            socket.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n');
            // Read whatever comes (the 408), so the server's FIN is seen and 'close' fires.
            socket.resume();
            resolve(socket);
          });
          socket.on('error', () => undefined);
        }),
      ),
    );
    const started = Date.now();
    expect((await target.fetch('/health')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    const closed = await Promise.all(sockets.map((socket) => new Promise<boolean>((resolve) => {
      if (socket.destroyed) return resolve(true);
      const timer = setTimeout(() => resolve(false), 5_000);
      socket.once('close', () => { clearTimeout(timer); resolve(true); });
    })));
    expect(closed.every(Boolean)).toBe(true);
    await target.close();
  });
});

describe('with no API_AUTH_TOKEN and no ALLOW_UNAUTHENTICATED (a Worker without a token)', () => {
  it('refuses every route but health', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gateway-noauth-'));
    const logger = createLogger({ level: 'silent', write: () => undefined });
    const storage = await openJsonFileBackend({ providersFile: join(folder, 'providers.json'), logger, responseCacheMaxBytes: 1024 * 1024 });
    const app = createApp({
      config: parseConfig({}),
      storage,
      cipher: await createKeyCipher('x'.repeat(32), generateSalt()),
      upstream: () => Promise.reject(new Error('no outbound calls in this test')),
      logger,
      peerAddress: () => '127.0.0.1',
      apiDescription: openApiJson,
    });
    expect((await app.request('/api/v1/health')).status).toBe(200);
    for (const path of ['/api/v1/providers', '/api/v1/models', '/api/v1/keys', '/api/v1/usage', '/api/v1/no-such-route']) expect((await app.request(path)).status, path).toBe(401);
    await storage.close();
    await rm(folder, { recursive: true, force: true });
  });
});

describe('data at rest', () => {
  it('keeps keys out of the providers file and the salt file', async () => {
    const target = await startTarget();
    await target.fetch('/providers', jsonInit('POST', { name: 'at-rest', baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: 'sk-CANARY-at-rest-0000001', routingMethod: 'openai' }));
    const folder = target.dataFolder;
    const files = await Promise.all(['providers.json', 'providers.json.salt'].map((name) => readFile(join(folder, name), 'utf8')));
    for (const text of files) expect(text).not.toContain('CANARY');
    await target.close();
  });
});


describe('a guessable token (fewer than 10 distinct characters)', () => {
  const weak = 'many-9f3a-many-9f3a';

  it('stops start-up in production, naming the variable and not the value', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gateway-weak-'));
    try {
      const starting = createNodeApp({ environment: { ...behaviourEnvironment, NODE_ENV: 'production', PROVIDERS_FILE: join(folder, 'providers.json'), API_AUTH_TOKEN: weak }, logWrite: () => undefined });
      await expect(starting).rejects.toThrow(new ConfigError(['API_AUTH_TOKEN: has fewer than 10 distinct characters, so it is easy to guess; use a random one (e.g. `openssl rand -base64 32`)']));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('is warned about elsewhere, once, without its value', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gateway-weak-'));
    const lines: string[] = [];
    const node = await createNodeApp({ environment: { ...behaviourEnvironment, NODE_ENV: 'development', PROVIDERS_FILE: join(folder, 'providers.json'), ADMIN_TOKEN: weak }, logWrite: (line) => lines.push(line) });
    try {
      expect(lines.map((line) => JSON.parse(line)).filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
        'ADMIN_TOKEN has fewer than 10 distinct characters, so it is easy to guess; use a random one (e.g. `openssl rand -base64 32`); NODE_ENV=production refuses it',
      ]);
      expect(lines.join('\n')).not.toContain(weak);
    } finally {
      await node.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
