import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELLO_TEXT, tokenPieces } from '../support/fake-upstream/scenarios.ts';
import { createTestProvider, type TestProvider } from '../support/providers.ts';
import { CLIENT_TOKEN } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';
import type { Connection } from './bundles/connection.ts';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness.ts';

// The official openai SDK in Chromium, on a page whose origin the gateway allows: what a web UI
// does with it, through both wire protocols, with CORS as the browser enforces it.

let harness: BrowserHarness;
let connection: Connection;
const providers = {} as Record<'openai' | 'anthropic', TestProvider>;

beforeAll(async () => {
  harness = await startBrowserHarness({ bundles: ['openai'] });
  connection = { baseURL: harness.gateway.apiBase, token: CLIENT_TOKEN };
  providers.openai = await createTestProvider(harness.gateway, 'openai');
  providers.anthropic = await createTestProvider(harness.gateway, 'anthropic');
});
afterAll(() => harness?.close());

const protocols = ['openai', 'anthropic'] as const;
const defaultModel = { openai: 'gpt-test', anthropic: 'claude-test' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function waitForUpstreamAbort(model: string) {
  const deadline = Date.now() + 2000;
  let progress = await upstreamControl(harness.gateway.upstreamUrl).streamProgress(model);
  while (!progress.aborted && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    progress = await upstreamControl(harness.gateway.upstreamUrl).streamProgress(model);
  }
  return progress;
}

describe.each(protocols)('chat through an %s-protocol provider', (protocol) => {
  const model = () => `${providers[protocol].name}/${defaultModel[protocol]}`;

  it('answers non-streamed', async () => {
    expect(await harness.call('openai', 'complete', connection, model())).toEqual({ text: HELLO_TEXT, finishReason: 'stop' });
  });

  it('streams the provider\'s text piece by piece', async () => {
    expect(await harness.call('openai', 'stream', connection, model())).toEqual({ pieces: tokenPieces(HELLO_TEXT), finishReason: 'stop' });
  });

  it('stops the upstream stream when the page aborts', async () => {
    const scenario = `slow@browser-abort-${protocol}`;
    const result = await harness.call('openai', 'abortAfter', connection, `${providers[protocol].name}/${scenario}`, 3);
    expect(result).toEqual({ pieces: ['Chunk 1.', ' Chunk 2.', ' Chunk 3.'], aborted: true });
    const progress = await waitForUpstreamAbort(scenario);
    expect(progress).toMatchObject({ aborted: true, finished: false });
    expect(progress.chunksWritten).toBeLessThan(10);
  });
});

it('lists every provider\'s models', async () => {
  const openai = providers.openai.name;
  const anthropic = providers.anthropic.name;
  expect(await harness.call('openai', 'models', connection)).toEqual([
    ...['gpt-test', 'tools', 'gpt-4o-mini', 'o3-mini', 'text-embedding-3-small'].map((id) => `${openai}/${id}`),
    ...['claude-test', 'tools', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'].map((id) => `${anthropic}/${id}`),
  ]);
});

it('lets the page read an upstream 429: its code, Retry-After and the request id', async () => {
  const failure = await harness.call('openai', 'failure', connection, `${providers.openai.name}/always-429`);
  expect(failure).toEqual({
    status: 429,
    code: 'RATE_LIMITED',
    error: {
      code: 'RATE_LIMITED',
      // The provider's message, through the gateway's scrubber (the long URL looks like a token).
      message: 'Rate limit reached for always-429 in organization org-fakeupstream on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 30s. Visit https://platform.openai.com/account/rate-limits to learn more.',
      details: { upstreamStatus: 429 },
    },
    requestId: expect.stringMatching(UUID),
    retryAfter: '30',
    rateLimit: { limit: '100000', remaining: expect.stringMatching(/^\d+$/), reset: expect.stringMatching(/^\d+$/), policy: '100000;w=60' },
  });
});

it('lets the page read the gateway\'s own 429: its code, Retry-After and RateLimit headers', async () => {
  const limited = await harness.startGateway({ RATE_LIMIT_MAX_REQUESTS: '2', RATE_LIMIT_WINDOW_MS: '60000' });
  const limitedConnection = { baseURL: limited.apiBase, token: CLIENT_TOKEN };
  // No provider: the first two are counted 404s, the third never gets past the limiter.
  const failures = [];
  for (let index = 0; index < 3; index++) failures.push(await harness.call('openai', 'failure', limitedConnection, 'no-such-provider/gpt-test'));
  expect(failures.map((failure) => [failure?.status, failure?.code, failure?.rateLimit.remaining])).toEqual([
    [404, 'NOT_FOUND', '1'],
    [404, 'NOT_FOUND', '0'],
    [429, 'RATE_LIMITED', '0'],
  ]);
  const limitedAnswer = failures[2]!;
  expect(limitedAnswer.error).toEqual({ code: 'RATE_LIMITED', message: 'Too many requests, try again later', details: { limit: 2, windowMs: 60000 } });
  expect(limitedAnswer.rateLimit).toEqual({ limit: '2', remaining: '0', reset: limitedAnswer.retryAfter, policy: '2;w=60' });
  expect(Number(limitedAnswer.retryAfter)).toBeGreaterThan(0);
  expect(Number(limitedAnswer.retryAfter)).toBeLessThanOrEqual(60);
  expect(limitedAnswer.requestId).toMatch(UUID);
});

it('sent requests to the page\'s origin and the gateways only', () => {
  expect(harness.ownOrigins()).toHaveLength(3);
  expect(harness.requestedOrigins()).toEqual(harness.ownOrigins());
});
