import { afterAll, beforeAll, expect, it } from 'vitest';
import { HELLO_TEXT, tokenPieces } from '../support/fake-upstream/scenarios.ts';
import { createTestProvider, upstreamRequestsFor, CANARY_KEY, type TestProvider } from '../support/providers.ts';
import { CLIENT_TOKEN } from '../support/target.ts';
import type { Connection } from './bundles/connection.ts';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness.ts';

// The official Anthropic SDK in Chromium against the gateway's /messages route, with only a base
// URL (the gateway's /api) and the gateway token.

let harness: BrowserHarness;
let connection: Connection;
let provider: TestProvider;

beforeAll(async () => {
  harness = await startBrowserHarness({ bundles: ['anthropic'] });
  connection = { baseURL: harness.gateway.apiBase.replace(/\/v1$/, ''), token: CLIENT_TOKEN };
  provider = await createTestProvider(harness.gateway, 'anthropic');
});
afterAll(() => harness?.close());

it('messages.create answers with the provider\'s message', async () => {
  expect(await harness.call('anthropic', 'create', connection, `${provider.name}/claude-test`)).toEqual({
    content: [{ type: 'text', text: HELLO_TEXT }],
    stopReason: 'end_turn',
  });
});

it('messages.stream streams it piece by piece', async () => {
  expect(await harness.call('anthropic', 'stream', connection, `${provider.name}/claude-test`)).toEqual({
    pieces: tokenPieces(HELLO_TEXT),
    content: [{ type: 'text', text: HELLO_TEXT }],
    stopReason: 'end_turn',
  });
});

it('reached the provider with its key and the SDK\'s own anthropic-version, without the browser\'s headers', async () => {
  const sent = harness.requests().filter((request) => request.method === 'POST' && request.url === `${harness.gateway.apiBase}/messages`);
  const received = await upstreamRequestsFor(harness.gateway, provider);
  expect(sent).toHaveLength(2);
  expect(received).toHaveLength(2);
  expect(sent.map((request) => request.headers['anthropic-dangerous-direct-browser-access'])).toEqual(['true', 'true']);
  for (const [index, request] of received.entries()) {
    expect(sent[index]!.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request.headers).toMatchObject({ 'x-api-key': CANARY_KEY, 'anthropic-version': sent[index]!.headers['anthropic-version'] });
    const forwarded = Object.keys(request.headers).filter((name) => name === 'authorization' || name === 'origin' || name.startsWith('x-stainless-') || name.startsWith('anthropic-dangerous'));
    expect(forwarded).toEqual([]);
  }
});

it('sent requests to the page\'s origin and the gateway only', () => {
  expect(harness.ownOrigins()).toHaveLength(2);
  expect(harness.requestedOrigins()).toEqual(harness.ownOrigins());
});
