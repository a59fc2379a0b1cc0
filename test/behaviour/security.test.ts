import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { createTestProvider, type TestProvider } from '../support/providers.ts';
import { ADMIN_TOKEN, CLIENT_TOKEN, adminHeaders, jsonInit, type Target } from '../support/target.ts';

// Access, browser and input protections through the public surface, on both runtimes.

let target: Target;
let provider: TestProvider;
beforeAll(async () => {
  target = await startBehaviourTarget();
  provider = await createTestProvider(target, 'openai');
});
afterAll(() => target.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const providerBody = () => ({ name: `sec-${crypto.randomUUID().slice(0, 8)}`, baseUrl: `${target.upstreamUrl}/openai/v1`, apiKey: 'sk-CANARY-security-000000000001', routingMethod: 'openai' });

describe('access tokens', () => {
  it.each([
    ['no token', {}],
    ['a wrong token of the same length', bearer(CLIENT_TOKEN.replace(/.$/, 'X'))],
    ['a wrong token of another length', bearer('short')],
    ['a very long token', bearer('x'.repeat(10_000))],
    ['a non-bearer scheme', { authorization: `Basic ${CLIENT_TOKEN}` }],
  ])('refuses %s with 401 UNAUTHORIZED', async (_, headers) => {
    for (const path of ['/providers', '/models', '/no-such-route']) {
      const response = await target.rawFetch(`${target.apiBase}${path}`, { headers });
      expect(response.status, path).toBe(401);
      expect((await response.json()).error.code).toBe('UNAUTHORIZED');
    }
    const chat = await target.rawFetch(`${target.apiBase}/chat/completions`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(chat.status).toBe(401);
  });

  it('serves health without a token', async () => {
    expect((await target.rawFetch(`${target.apiBase}/health`)).status).toBe(200);
  });

  it('keeps provider management to the admin token', async () => {
    const asClient = await target.fetch('/providers', { method: 'POST', headers: { ...bearer(CLIENT_TOKEN), 'content-type': 'application/json' }, body: JSON.stringify(providerBody()) });
    expect(asClient.status).toBe(401);
    for (const [path, method] of [[`/providers/${provider.id}`, 'PUT'], [`/providers/${provider.id}`, 'DELETE'], [`/providers/${provider.id}/test`, 'POST'], [`/providers/${provider.id}/models/refresh`, 'POST']] as const) {
      const response = await target.fetch(path, { method, headers: { ...bearer(CLIENT_TOKEN), 'content-type': 'application/json' }, body: method === 'PUT' ? '{}' : undefined });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
    expect((await target.fetch('/providers', jsonInit('POST', providerBody(), { ...bearer(ADMIN_TOKEN), 'content-type': 'application/json' }))).status).toBe(201);
  });

  it('lets the client token list providers and models and chat', async () => {
    expect((await target.fetch('/providers', { headers: bearer(CLIENT_TOKEN) })).status).toBe(200);
    expect((await target.fetch('/models', { headers: bearer(CLIENT_TOKEN) })).status).toBe(200);
    const chat = await target.fetch('/chat/completions', { method: 'POST', headers: { ...bearer(CLIENT_TOKEN), 'content-type': 'application/json' }, body: JSON.stringify({ model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(chat.status).toBe(200);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    target.rawFetch(`${target.apiBase}/providers`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });

  it('allows a listed origin, preflight included, without auth', async () => {
    const response = await preflight('http://localhost:5173');
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const simple = await target.fetch('/providers', { headers: { origin: 'https://app.example.com' } });
    expect(simple.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(simple.headers.get('vary')?.toLowerCase()).toContain('origin');
  });

  it('gives a request without Origin (an SDK, a server) Vary: Origin and no CORS headers', async () => {
    for (const response of [await target.fetch('/providers'), await target.fetch('/nope'), await target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })]) {
      expect(response.headers.get('vary')?.toLowerCase()).toContain('origin');
      expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('gives an allowed origin its CORS headers on errors too', async () => {
    const response = await target.fetch('/chat/completions', { method: 'POST', headers: { origin: 'https://app.example.com', 'content-type': 'application/json' }, body: '{' });
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  // What the official SDKs send from a browser (Chromium lists them lower-case, sorted, no spaces).
  const browserSdkHeaders = [
    'anthropic-dangerous-direct-browser-access',
    'anthropic-version',
    'authorization',
    'content-type',
    'x-gateway-cache-ttl',
    'x-stainless-arch',
    'x-stainless-lang',
    'x-stainless-os',
    'x-stainless-package-version',
    'x-stainless-retry-count',
    'x-stainless-runtime',
    'x-stainless-runtime-version',
  ].join(',');
  const sdkPreflight = (origin: string, path = '/chat/completions') =>
    target.rawFetch(`${target.apiBase}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': browserSdkHeaders } });
  const corsHeaders = (response: Response) => Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));

  it.each(['/chat/completions', '/messages', '/providers'])('grants an allowed origin\'s preflight to %s exactly the headers it asks for', async (path) => {
    const response = await sdkPreflight('http://localhost:5173', path);
    expect(response.status).toBe(204);
    expect(corsHeaders(response)).toEqual({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS',
      'access-control-allow-headers': browserSdkHeaders,
      'access-control-expose-headers': EXPOSED_HEADERS,
      'access-control-max-age': '600',
    });
    expect(response.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers');
  });

  it('exposes the request id, rate-limit, provider and cache headers to an allowed origin\'s script', async () => {
    for (const response of [await target.fetch('/providers', { headers: { origin: 'https://app.example.com' } }), await target.fetch('/nope', { headers: { origin: 'https://app.example.com' } })]) {
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(response.headers.get('access-control-expose-headers')).toBe(EXPOSED_HEADERS);
    }
  });

  it.each(['https://evil.example', 'null', 'http://localhost:5173.evil.example', 'https://app.example.com.evil', 'http://localhost:5174', 'https://APP.example.com', 'http://localhost:5173/', ''])(
    'gives the origin %j no Access-Control-* header at all, preflight or not',
    async (origin) => {
      const refusedPreflights = [await preflight(origin), await sdkPreflight(origin), await sdkPreflight(origin, '/messages')];
      for (const response of refusedPreflights) {
        expect(response.status).toBe(204);
        expect(corsHeaders(response)).toEqual({});
        expect(response.headers.get('vary')).toBe('Origin');
      }
      for (const response of [await target.fetch('/providers', { headers: { origin } }), await target.fetch('/nope', { headers: { origin } })]) {
        expect(corsHeaders(response)).toEqual({});
        expect(response.headers.get('vary')).toBe('Origin');
      }
    },
  );

  it('answers a preflight without Origin with no Access-Control-* header', async () => {
    const response = await target.rawFetch(`${target.apiBase}/chat/completions`, { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': browserSdkHeaders } });
    expect(response.status).toBe(204);
    expect(corsHeaders(response)).toEqual({});
  });
});

const EXPOSED_HEADERS = 'X-Request-Id,Retry-After,RateLimit-Limit,RateLimit-Remaining,RateLimit-Reset,RateLimit-Policy,X-Gateway-Provider,X-Gateway-Cache-Status,X-Gateway-Dropped-Tools,X-Gateway-Model-Errors,X-Should-Retry';

describe('input limits', () => {
  it('refuses a body over the size limit with 413 before parsing it', async () => {
    const big = JSON.stringify({ ...providerBody(), name: 'x'.repeat(300_000) });
    const response = await target.fetch('/providers', { method: 'POST', headers: adminHeaders, body: big });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reads a body the same way on every runtime: a UTF-8 byte-order mark is dropped, a bad byte is not fatal', async () => {
    const withMark = await target.fetch('/providers', { method: 'POST', headers: adminHeaders, body: `\uFEFF${JSON.stringify(providerBody())}` });
    expect(withMark.status).toBe(201);
    const badByte = new Uint8Array([...new TextEncoder().encode('{"name":"'), 0xff, ...new TextEncoder().encode('"}')]);
    const response = await target.fetch('/providers', { method: 'POST', headers: adminHeaders, body: badByte });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('VALIDATION_ERROR');
  });

  it('refuses a chunked body over the size limit with 413', async () => {
    const piece = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    let answered = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Stop sending once the server has answered, as a real client would.
        if (!answered && sent++ < 8) controller.enqueue(piece);
        else controller.close();
      },
    });
    const response = await target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    answered = true;
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses JSON nested deeper than the cap with 400', async () => {
    const deep = `{"model":"${provider.name}/gpt-test","messages":[{"role":"user","content":"hi"}],"x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const response = await target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('VALIDATION_ERROR');
  });

  it('refuses more messages than the cap with 400', async () => {
    const messages = Array.from({ length: 2049 }, () => ({ role: 'user', content: 'a' }));
    const response = await target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `${provider.name}/gpt-test`, messages }) });
    expect(response.status).toBe(400);
    expect((await response.json()).error.details.field).toBe('messages');
  });

  it('does not let __proto__ or constructor keys change behaviour', async () => {
    const polluted = '{"__proto__":{"isAdmin":true,"routingMethod":"anthropic"},"constructor":{"prototype":{"polluted":true}}}';
    const create = await target.fetch('/providers', { method: 'POST', headers: adminHeaders, body: `${JSON.stringify(providerBody()).slice(0, -1)},${polluted.slice(1)}` });
    expect(create.status).toBe(400);
    const chat = await target.fetch('/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"__proto__":{"stream":true,"provider_id":"x"},"model":"${provider.name}/gpt-test","messages":[{"role":"user","content":"Hi","__proto__":{"role":"system"}}]}`,
    });
    expect(chat.status).toBe(200);
    expect(chat.headers.get('content-type')).toMatch(/application\/json/);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['host', 'Content-Length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'trailer', 'expect', 'proxy-authorization', 'cookie', 'authorization', 'x-api-key', 'api-key', 'x-forwarded-for', 'cf-connecting-ip', 'bad header', 'x-ünïcode'])(
    'refuses the custom header %s at save time',
    async (name) => {
      const response = await target.fetch('/providers', jsonInit('POST', { ...providerBody(), customHeaders: { [name]: 'value' } }));
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('VALIDATION_ERROR');
    },
  );

  it.each(['a\r\nx-injected: 1', 'a\nb', 'a\u0000b'])('refuses a custom header value with CR, LF or NUL (%j)', async (value) => {
    const response = await target.fetch('/providers', jsonInit('POST', { ...providerBody(), customHeaders: { 'x-custom': value } }));
    expect(response.status).toBe(400);
  });
});

describe('outbound policy', () => {
  it.each(['http://169.254.169.254/latest', 'http://[fd00:ec2::254]/', 'http://metadata.google.internal/computeMetadata/v1', 'http://[::ffff:169.254.169.254]/', 'http://user:pass@api.example.com/v1', 'file:///etc/passwd', 'gopher://127.0.0.1:70/'])(
    'refuses %s at save time even with ALLOW_PRIVATE_UPSTREAMS=true',
    async (baseUrl) => {
      const response = await target.fetch('/providers', jsonInit('POST', { ...providerBody(), baseUrl }));
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'baseUrl' } });
      // The message does not echo an internal address back.
      expect(body.error.message).not.toMatch(/169\.254|fd00|metadata/);
    },
  );
});

describe('outbound policy: spellings of a metadata address the URL parser reads as one', () => {
  // ipaddr.js alone reads each of these otherwise, or not as an address at all
  // (src/security/classify-address.test.ts); what fetch connects to decides.
  it.each([
    'http://0xa9.0xfe.0xa9.0xfe./',
    'http://169.254.169.254%2e/',
    'http://\uff11\uff16\uff19.254.169.254/',
    'http://169.254.43518/',
    'http://[::169.254.169.254]/',
    'http://[::ffff:0:a9fe:a9fe]/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://[64:ff9b:1:a9fe:a9:fe00::]/',
    'http://[2002:a9fe:a9fe::1]/',
    'http://[2001:0:808:808::5601:5601]/',
  ])('refuses %s at save time even with ALLOW_PRIVATE_UPSTREAMS=true', async (baseUrl) => {
    const response = await target.fetch('/providers', jsonInit('POST', { ...providerBody(), baseUrl }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'baseUrl' } });
    expect(body.error.message).not.toMatch(/169\.254|a9fe|metadata/);
  });
});

describe('secrets in logs', () => {
  it('never logs a key or a token', () => {
    const logs = target.logs().join('\n');
    expect(logs).not.toContain('CANARY');
    expect(logs).not.toContain(CLIENT_TOKEN);
    expect(logs).not.toContain(ADMIN_TOKEN);
  });
});
