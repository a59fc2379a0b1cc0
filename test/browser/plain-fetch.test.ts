import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, CLIENT_TOKEN } from '../support/target.ts';
import { callInPage, startBrowserHarness, type BrowserHarness } from './support/browser-harness.ts';

// What a web UI does with plain fetch (provider management), and what a page on an origin the
// gateway does not allow gets: nothing readable, and the gateway sees no more than a preflight.

let harness: BrowserHarness;
beforeAll(async () => {
  harness = await startBrowserHarness({ bundles: [] });
});
afterAll(() => harness?.close());

const KEY = 'sk-CANARY-browser-crud-0123456789abcd';
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Exchange {
  status: number;
  body: unknown;
  text: string;
}

/** Runs in the page: one fetch, its status and body as a UI would read them. */
function exchangeInPage(page: BrowserHarness['page'], request: { url: string; method: string; token: string; body?: unknown }): Promise<Exchange> {
  return page.evaluate(async ({ url, method, token, body }) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text), text };
  }, request);
}

it('creates, lists, updates and deletes a provider with plain fetch', async () => {
  const api = harness.gateway.apiBase;
  const call = (method: string, path: string, token: string, body?: unknown) => exchangeInPage(harness.page, { url: `${api}${path}`, method, token, body });
  const input = { name: 'browser-crud', baseUrl: `${harness.gateway.upstreamUrl}/openai/v1`, apiKey: KEY, routingMethod: 'openai' };

  const asClient = await call('POST', '/providers', CLIENT_TOKEN, input);
  expect(asClient.status).toBe(401);
  expect((asClient.body as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');

  const created = await call('POST', '/providers', ADMIN_TOKEN, input);
  expect(created.status).toBe(201);
  const provider = created.body as Record<string, unknown>;
  expect(provider).toEqual({
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    name: 'browser-crud',
    baseUrl: input.baseUrl,
    routingMethod: 'openai',
    customHeaders: {},
    apiKeyHint: '…abcd',
    createdAt: expect.stringMatching(ISO_TIME),
    updatedAt: provider.createdAt,
  });

  const listed = await call('GET', '/providers', CLIENT_TOKEN);
  expect(listed).toMatchObject({ status: 200, body: { data: [provider] } });

  const updated = await call('PUT', `/providers/${provider.id}`, ADMIN_TOKEN, { name: 'browser-crud-renamed', customHeaders: { 'x-team': 'ui' } });
  expect(updated.status).toBe(200);
  expect(updated.body).toEqual({ ...provider, name: 'browser-crud-renamed', customHeaders: { 'x-team': 'ui' }, updatedAt: expect.stringMatching(ISO_TIME) });

  const deleted = await call('DELETE', `/providers/${provider.id}`, ADMIN_TOKEN);
  expect(deleted).toEqual({ status: 204, body: null, text: '' });
  const gone = await call('GET', `/providers/${provider.id}`, CLIENT_TOKEN);
  expect(gone.status).toBe(404);
  expect((gone.body as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  expect(await call('GET', '/providers', CLIENT_TOKEN)).toMatchObject({ status: 200, body: { data: [] } });

  for (const exchange of [asClient, created, listed, updated, deleted, gone]) expect(exchange.text).not.toContain('CANARY');
});

it('gives a page on a refused origin nothing: fetch and the SDK fail, the gateway sees only preflights', async () => {
  const refused = await harness.openRefusedPage(['openai']);
  const api = harness.gateway.apiBase;
  const probe = `/refused-probe-${crypto.randomUUID()}`;
  const plain = await refused.page.evaluate(async ({ url, token }) => {
    try {
      await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
      return 'read the answer';
    } catch (error) {
      return { name: (error as Error).name, message: (error as Error).message };
    }
  }, { url: `${api}${probe}`, token: CLIENT_TOKEN });
  expect(plain).toEqual({ name: 'TypeError', message: 'Failed to fetch' });

  const sdk = await callInPage(refused.page, 'openai', 'refused', { baseURL: api, token: CLIENT_TOKEN }, 'any/gpt-test');
  expect(sdk).toEqual({ name: 'APIConnectionError', cause: 'TypeError: Failed to fetch' });

  const seen = harness.gateway
    .logs()
    .map((line) => JSON.parse(line) as { message: string; method: string; path: string; status: number })
    .filter((line) => line.message === 'request' && (line.path === `/api/v1${probe}` || line.path === '/api/v1/chat/completions'))
    .map((line) => [line.method, line.path, line.status]);
  expect(seen).toEqual([
    ['OPTIONS', `/api/v1${probe}`, 204],
    ['OPTIONS', '/api/v1/chat/completions', 204],
  ]);
});

it('sent requests to the two pages\' origins and the gateway only', () => {
  expect(harness.ownOrigins()).toHaveLength(3);
  expect(harness.requestedOrigins()).toEqual(harness.ownOrigins());
});
