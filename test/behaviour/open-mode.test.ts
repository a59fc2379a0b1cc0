import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenTarget } from '#target';
import { createTestProvider, upstreamRequestsFor, type TestProvider } from '../support/providers.ts';
import type { OpenTarget } from '../support/target.ts';

// A gateway that needs no token (the default `npm start` on loopback) must not be drivable by a
// web page: not through DNS rebinding (a page on attacker.example whose name now points at
// 127.0.0.1 sends `Host: attacker.example`), not by a cross-site write. Every upstream call here
// would go to a non-loopback host if it were made, which the loopback-only setup file of each
// project records and fails the file on: the refusals below happen before any connection.

let target: OpenTarget;
let provider: TestProvider;
beforeAll(async () => {
  target = await startOpenTarget();
  provider = await createTestProvider(target, 'openai');
});
afterAll(() => target.close());

const port = () => target.host.split(':').at(-1)!;
const rebound = () => `rebind.attacker.example:${port()}`;
const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({ method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const providerBody = () => ({ name: `open-${crypto.randomUUID().slice(0, 8)}`, baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: 'sk-CANARY-open-mode-00000001', routingMethod: 'openai' });

async function expectForbidden(response: Response, label: string): Promise<void> {
  expect(response.status, label).toBe(403);
  expect((await response.json()).error.code, label).toBe('FORBIDDEN');
}

describe('with no API_AUTH_TOKEN, a Host other than loopback', () => {
  it('is refused for the issue\'s reproduction (list, repoint, test), and nothing is changed or sent', async () => {
    const before = await (await target.fetchAt(target.host, `/api/v1/providers/${provider.id}`)).json();
    await expectForbidden(await target.fetchAt(rebound(), '/api/v1/providers'), 'GET /providers');
    await expectForbidden(await target.fetchAt(rebound(), `/api/v1/providers/${provider.id}`, json('PUT', { baseUrl: `http://${rebound()}/v1` })), 'PUT');
    await expectForbidden(await target.fetchAt(rebound(), `/api/v1/providers/${provider.id}/test`, { method: 'POST' }), 'POST /test');
    await expectForbidden(await target.fetchAt(rebound(), `/api/v1/providers/${provider.id}/test`, json('POST', { model: 'gpt-test' })), 'POST /test with a model');

    const after = await (await target.fetchAt(target.host, `/api/v1/providers/${provider.id}`)).json();
    expect(after).toEqual(before);
    expect(after.baseUrl).toBe(`${target.upstreamUrl}/openai/v1`);
    expect(await upstreamRequestsFor(target, provider)).toEqual([]);
  });

  it.each(['rebind.attacker.example', 'localhost.attacker.example', '127.0.0.1.nip.io', 'localhost.', '127.0.0.2', '0.0.0.0', '[fd00::1]'])('%s (any port) is refused on every route, public ones included', async (host) => {
    for (const path of ['/api/v1/providers', '/api/v1/health', '/api/v1/models', '/api/v1/openapi.json', '/api/v1/no-such-route', '/']) {
      await expectForbidden(await target.fetchAt(`${host}:${port()}`, path), `${host} ${path}`);
    }
    await expectForbidden(await target.fetchAt(host, '/api/v1/providers'), `${host} without a port`);
  });

  it.each(['localhost', '127.0.0.1', '[::1]'])('%s is served, with or without a port', async (host) => {
    expect((await target.fetchAt(`${host}:${port()}`, '/api/v1/providers')).status).toBe(200);
    expect((await target.fetchAt(`${host}:1`, '/api/v1/providers')).status).toBe(200);
    expect((await target.fetchAt(host, '/api/v1/providers')).status).toBe(200);
  });

  it('refuses a chat for a rebound Host before anything is sent upstream', async () => {
    const chat = await target.fetchAt(rebound(), '/api/v1/chat/completions', json('POST', { model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }));
    await expectForbidden(chat, 'chat');
    expect(await upstreamRequestsFor(target, provider)).toEqual([]);
  });
});

describe('with no API_AUTH_TOKEN, a write from a browser page', () => {
  const at = (path: string, init: RequestInit) => target.fetchAt(target.host, `/api/v1${path}`, init);

  it.each([
    ['another origin', { origin: 'http://evil.example' }],
    ['another port of loopback', { origin: 'http://127.0.0.1:1' }],
    ['an opaque origin (sandboxed frame, file://)', { origin: 'null' }],
    ['a cross-site fetch that sent no Origin', { 'sec-fetch-site': 'cross-site' }],
  ])('from %s is refused: create, update, delete, test', async (_, headers) => {
    await expectForbidden(await at('/providers', json('POST', providerBody(), headers)), 'POST /providers');
    await expectForbidden(await at(`/providers/${provider.id}`, json('PUT', { name: 'renamed' }, headers)), 'PUT');
    await expectForbidden(await at(`/providers/${provider.id}/test`, { method: 'POST', headers }), 'POST /test');
    await expectForbidden(await at('/keys', json('POST', { name: 'page' }, headers)), 'POST /keys');
    await expectForbidden(await at(`/providers/${provider.id}`, { method: 'DELETE', headers }), 'DELETE');
    expect((await at(`/providers/${provider.id}`, {})).status).toBe(200);
    expect(await upstreamRequestsFor(target, provider)).toEqual([]);
  });

  it('from the gateway\'s own pages (the console), from ALLOWED_ORIGINS, or with no Origin (curl, SDKs) is served', async () => {
    for (const headers of <Array<Record<string, string>>>[
      { origin: `http://${target.host}` },
      { origin: 'http://localhost:5173', 'sec-fetch-site': 'same-site' },
      { origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-origin' },
      {},
    ]) {
      const created = await at('/providers', json('POST', providerBody(), headers));
      expect(created.status, JSON.stringify(headers)).toBe(201);
      const { id } = await created.json();
      expect((await at(`/providers/${id}`, { method: 'DELETE', headers })).status).toBe(204);
    }
  });

  it('reading from another origin is answered (CORS keeps the answer from its script)', async () => {
    const response = await at('/providers', { headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('ALLOWED_HOSTS', () => {
  it('widens the host rule by exact name, any port, and only that', async () => {
    const widened = await startOpenTarget({ ALLOWED_HOSTS: 'gateway.lan, Studio.Example' });
    try {
      expect((await widened.fetchAt('gateway.lan:8080', '/api/v1/providers')).status).toBe(200);
      expect((await widened.fetchAt('studio.example', '/api/v1/providers')).status).toBe(200);
      expect((await widened.fetchAt(widened.host, '/api/v1/providers')).status).toBe(200);
      await expectForbidden(await widened.fetchAt('other.lan:8080', '/api/v1/providers'), 'other.lan');
      await expectForbidden(await widened.fetchAt('sub.gateway.lan', '/api/v1/providers'), 'sub.gateway.lan');
      // Its own origin under the widened name is the gateway's own page.
      const created = await widened.fetchAt('gateway.lan:8080', '/api/v1/providers', json('POST', providerBody(), { origin: 'http://gateway.lan:8080' }));
      expect(created.status).toBe(201);
    } finally {
      await widened.close();
    }
  });
});
