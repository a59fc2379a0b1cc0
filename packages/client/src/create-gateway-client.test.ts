import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGatewayClient, GatewayError } from './index.ts';

// What the gateway itself never sends, but a proxy, a CDN or a broken connection can: answers
// made up by a fetch double. Everything the gateway does send is in test/behaviour/client.test.ts.

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

function clientAnswering(answer: () => Response, token?: string) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    sent.push({ method: init.method ?? 'GET', url: String(input), headers: Object.fromEntries(new Headers(init.headers)), body });
    return answer();
  };
  return { client: createGatewayClient({ baseUrl: 'http://gateway.test/api/v1', token, fetch }), sent };
}

async function gatewayErrorFrom(call: () => Promise<unknown>): Promise<GatewayError> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected the call to fail');
}

const fields = (error: GatewayError) => ({ status: error.status, code: error.code, message: error.message, details: error.details, retryAfterSeconds: error.retryAfterSeconds });

const sse = (...events: string[]) => new Response(events.map((data) => `data: ${data}\n\n`).join(''), { headers: { 'content-type': 'text/event-stream' } });
const chunk = (content: string) => JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const request = { model: 'p/m', messages: [{ role: 'user', content: 'Hi' }] };

afterEach(() => {
  vi.useRealTimers();
});

describe('error answers without the gateway\'s error body', () => {
  it('a proxy\'s HTML 502 gets the code of its status and no body text', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    const { client } = clientAnswering(() => new Response(html, { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } }));
    expect(fields(await gatewayErrorFrom(() => client.providers.list()))).toEqual({
      status: 502,
      code: 'PROVIDER_ERROR',
      message: 'HTTP 502 Bad Gateway, without the gateway\'s error body',
      details: { contentType: 'text/html' },
      retryAfterSeconds: undefined,
    });
  });

  it.each([
    [401, 'UNAUTHORIZED'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [500, 'INTERNAL_ERROR'],
    [504, 'UPSTREAM_TIMEOUT'],
    [418, 'HTTP_ERROR'],
  ])('%i → %s', async (status, code) => {
    // JSON, but not {error:{code, message}}: treated as no error body at all.
    const { client } = clientAnswering(() => Response.json({ message: 'nope' }, { status }));
    const error = await gatewayErrorFrom(() => client.models());
    expect([error.status, error.code, error.message]).toEqual([status, code, `HTTP ${status}, without the gateway's error body`]);
  });

  it('a CDN\'s 429 with an HTTP-date Retry-After: seconds from now', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T12:00:00.000Z'));
    const { client } = clientAnswering(() => new Response('slow down', { status: 429, headers: { 'retry-after': 'Tue, 01 Dec 2026 12:02:00 GMT' } }));
    expect(fields(await gatewayErrorFrom(() => client.models()))).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 120 });
  });

  it.each([
    ['Tue, 01 Dec 2026 11:59:00 GMT', 0],
    [' 7 ', 7],
    ['soon', undefined],
  ])('Retry-After %j → %s', async (retryAfter, seconds) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T12:00:00.000Z'));
    const { client } = clientAnswering(() => Response.json({ error: { code: 'RATE_LIMITED', message: 'Too many requests' } }, { status: 429, headers: { 'retry-after': retryAfter } }));
    expect(fields(await gatewayErrorFrom(() => client.models()))).toEqual({ status: 429, code: 'RATE_LIMITED', message: 'Too many requests', details: undefined, retryAfterSeconds: seconds });
  });
});

describe('answers that are not what the route sends', () => {
  it('a 200 that is not JSON (a captive portal) is INVALID_RESPONSE', async () => {
    const { client } = clientAnswering(() => new Response('<html>Sign in to the Wi-Fi</html>', { headers: { 'content-type': 'text/html' } }));
    expect(fields(await gatewayErrorFrom(() => client.models()))).toEqual({
      status: 200,
      code: 'INVALID_RESPONSE',
      message: 'HTTP 200 answer is not JSON',
      details: { contentType: 'text/html' },
      retryAfterSeconds: undefined,
    });
  });

  it('a stream request answered with JSON is INVALID_RESPONSE', async () => {
    const { client } = clientAnswering(() => Response.json({ id: 'x', object: 'chat.completion' }));
    const error = await gatewayErrorFrom(() => client.streamChat(request).next());
    expect(fields(error)).toMatchObject({ status: 200, code: 'INVALID_RESPONSE', details: { contentType: 'application/json' } });
  });

  it('a stream event that is not JSON is INVALID_RESPONSE, after the chunks before it', async () => {
    const { client } = clientAnswering(() => sse(chunk('Hel'), 'not json', chunk('lo'), '[DONE]'));
    const stream = client.streamChat(request);
    expect((await stream.next()).value).toMatchObject({ choices: [{ delta: { content: 'Hel' } }] });
    expect(fields(await gatewayErrorFrom(() => stream.next()))).toMatchObject({ status: 200, code: 'INVALID_RESPONSE', message: 'A stream event is not a JSON chunk' });
  });

  it('an error event carries its code, message and details', async () => {
    const { client } = clientAnswering(() => sse(chunk('Hel'), JSON.stringify({ error: { code: 'UPSTREAM_TIMEOUT', message: 'The provider did not answer in time', details: { after: 'Hel' } } })));
    const stream = client.streamChat(request);
    await stream.next();
    expect(fields(await gatewayErrorFrom(() => stream.next()))).toEqual({
      status: 200,
      code: 'UPSTREAM_TIMEOUT',
      message: 'The provider did not answer in time',
      details: { after: 'Hel' },
      retryAfterSeconds: undefined,
    });
  });
});

describe('broken connections', () => {
  /** `first`, then, at the next read, the error undici gives for a connection reset mid-body. */
  const breakingBody = (first: string) => {
    let reads = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (reads++ === 0) controller.enqueue(new TextEncoder().encode(first));
        else controller.error(new TypeError('terminated'));
      },
    });
  };

  it('a body that breaks off in chat() is NETWORK_ERROR with status 0', async () => {
    const { client } = clientAnswering(() => new Response(breakingBody('{"id":"x",'), { headers: { 'content-type': 'application/json' } }));
    const error = await gatewayErrorFrom(() => client.chat(request));
    expect(fields(error)).toMatchObject({ status: 0, code: 'NETWORK_ERROR', message: 'The connection broke off while the answer was read' });
    expect(error.cause).toEqual(new TypeError('terminated'));
  });

  it('a stream body that breaks off is STREAM_INTERRUPTED, with the read error as its cause', async () => {
    const { client } = clientAnswering(() => new Response(breakingBody(`data: ${chunk('Hel')}\n\n`), { headers: { 'content-type': 'text/event-stream' } }));
    const stream = client.streamChat(request);
    expect((await stream.next()).value).toMatchObject({ choices: [{ delta: { content: 'Hel' } }] });
    const error = await gatewayErrorFrom(() => stream.next());
    expect(fields(error)).toMatchObject({ status: 200, code: 'STREAM_INTERRUPTED' });
    expect(error.cause).toEqual(new TypeError('terminated'));
  });
});

describe('health()', () => {
  it('returns a degraded gateway\'s 503 answer instead of throwing it', async () => {
    const degraded = { status: 'degraded', timestamp: '2026-12-01T12:00:00.000Z', version: '1.1.0' };
    const { client } = clientAnswering(() => Response.json(degraded, { status: 503 }));
    expect(await client.health()).toEqual(degraded);
  });

  it('throws any other 503', async () => {
    const { client } = clientAnswering(() => new Response('Service Unavailable', { status: 503 }));
    expect(fields(await gatewayErrorFrom(() => client.health()))).toMatchObject({ status: 503, code: 'STORAGE_UNAVAILABLE' });
  });
});

describe('what the methods send', () => {
  it('usage(): groupBy as a list or as the comma list, absent fields left out', async () => {
    const report = { data: [], from: 'a', to: 'b' };
    const { client, sent } = clientAnswering(() => Response.json(report));
    expect(await client.usage({ from: '2026-11-01T00:00:00Z', groupBy: ['provider', 'day'] })).toEqual(report);
    await client.usage({ groupBy: 'key,model' });
    await client.usage();
    expect(sent.map((request) => request.url)).toEqual([
      'http://gateway.test/api/v1/usage?from=2026-11-01T00%3A00%3A00Z&groupBy=provider%2Cday',
      'http://gateway.test/api/v1/usage?groupBy=key%2Cmodel',
      'http://gateway.test/api/v1/usage',
    ]);
  });

  it('providers.import(): the entries and the options in one body', async () => {
    const { client, sent } = clientAnswering(() => Response.json({ created: [], replaced: [], skipped: [], dryRun: true }));
    const entry = { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test', routingMethod: 'openai' as const };
    await client.providers.import([entry], { onConflict: 'skip', dryRun: true });
    expect(sent).toEqual([
      {
        method: 'POST',
        url: 'http://gateway.test/api/v1/providers/import',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: { providers: [entry], onConflict: 'skip', dryRun: true },
      },
    ]);
  });

  it('keys: the routes of the contract; 204 is undefined', async () => {
    const { client, sent } = clientAnswering(() => new Response(null, { status: 204 }));
    expect(await client.keys.delete('key/1')).toBeUndefined();
    expect(sent.map((request) => `${request.method} ${request.url}`)).toEqual(['DELETE http://gateway.test/api/v1/keys/key%2F1']);
  });

  it('sends the token as a bearer header, and none for an empty one', async () => {
    const withToken = clientAnswering(() => Response.json({ object: 'list', data: [] }), 'secret-token');
    await withToken.client.models();
    expect(withToken.sent[0]!.headers.authorization).toBe('Bearer secret-token');
    const empty = clientAnswering(() => Response.json({ object: 'list', data: [] }), '');
    await empty.client.models();
    expect(empty.sent[0]!.headers).toEqual({ accept: 'application/json' });
  });

  it('streamChat() and chat(): cache headers only when asked for', async () => {
    const { client, sent } = clientAnswering(() => sse('[DONE]'));
    for await (const _ of client.streamChat(request, { cacheTtlSeconds: 60, noCache: true })) expect.unreachable();
    for await (const _ of client.streamChat(request)) expect.unreachable();
    expect(sent.map((request) => request.headers)).toEqual([
      { accept: 'text/event-stream', 'content-type': 'application/json', 'x-gateway-cache-ttl': '60', 'cache-control': 'no-cache' },
      { accept: 'text/event-stream', 'content-type': 'application/json' },
    ]);
    expect(sent[0]!.body).toEqual({ ...request, stream: true });
  });

  it('onResponse reads the X-Gateway-* headers; an unknown cache status is null', async () => {
    const headers = (cacheStatus: string) => ({ 'x-request-id': 'req-1', 'x-gateway-provider': 'openrouter', 'x-gateway-cache-status': cacheStatus });
    const seen: unknown[] = [];
    for (const cacheStatus of ['HIT', 'STALE']) {
      const { client } = clientAnswering(() => Response.json({ object: 'chat.completion' }, { headers: headers(cacheStatus) }));
      await client.chat(request, { onResponse: (info) => seen.push(info) });
    }
    expect(seen).toEqual([
      { status: 200, requestId: 'req-1', provider: 'openrouter', cacheStatus: 'HIT' },
      { status: 200, requestId: 'req-1', provider: 'openrouter', cacheStatus: null },
    ]);
  });

  it.each([
    ['%E6%97%A5%E6%9C%AC%E8%AA%9E', '日本語'],
    ['100%25 caf%C3%A9', '100% café'],
    ['%F0%9F%A4%96 bot', '🤖 bot'],
    ['a+b (EU)', 'a+b (EU)'],
    ['100%', '100%'], // not percent-encoding (a gateway older than the encoding): as it came
    ['%E6%97', '%E6%97'], // a cut UTF-8 sequence: as it came
  ])('onResponse decodes X-Gateway-Provider %j to %j', async (header, name) => {
    const { client } = clientAnswering(() => Response.json({ object: 'chat.completion' }, { headers: { 'x-gateway-provider': header } }));
    let seen: string | null | undefined;
    await client.chat(request, { onResponse: (info) => void (seen = info.provider) });
    expect(seen).toBe(name);
  });

  it('an onResponse that throws cancels the answer\'s body and rejects with its error', async () => {
    let cancelled = false;
    const body = new ReadableStream({ cancel: () => void (cancelled = true) });
    const { client } = clientAnswering(() => new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
    const failure = new Error('render failed');
    await expect(client.streamChat(request, { onResponse: () => { throw failure; } }).next()).rejects.toBe(failure);
    expect(cancelled).toBe(true);
  });
});
