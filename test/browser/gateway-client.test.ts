import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELLO_TEXT, tokenPieces } from '../support/fake-upstream/scenarios.ts';
import { createTestProvider, type TestProvider } from '../support/providers.ts';
import { ADMIN_TOKEN, CLIENT_TOKEN } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';
import type { Connection } from './bundles/connection.ts';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness.ts';

// llm-gateway-client in Chromium, from a page on an allowed origin: chat and streams through both
// protocols, abort, failures as GatewayErrors with what CORS lets a page read, provider
// management, the response cache's headers.

let harness: BrowserHarness;
let connection: Connection;
let admin: Connection;
const providers = {} as Record<'openai' | 'anthropic', TestProvider>;

beforeAll(async () => {
  harness = await startBrowserHarness({ bundles: ['gateway-client'] });
  connection = { baseURL: harness.gateway.apiBase, token: CLIENT_TOKEN };
  admin = { baseURL: harness.gateway.apiBase, token: ADMIN_TOKEN };
  providers.openai = await createTestProvider(harness.gateway, 'openai');
  providers.anthropic = await createTestProvider(harness.gateway, 'anthropic');
});
afterAll(() => harness?.close());

const protocols = ['openai', 'anthropic'] as const;
const defaultModel = { openai: 'gpt-test', anthropic: 'claude-test' } as const;

describe.each(protocols)('through an %s-protocol provider', (protocol) => {
  const model = () => `${providers[protocol].name}/${defaultModel[protocol]}`;

  it('answers non-streamed and streamed', async () => {
    const completion = await harness.call('gateway-client', 'complete', connection, model());
    expect(completion.text).toBe(HELLO_TEXT);
    expect(await harness.call('gateway-client', 'stream', connection, model())).toEqual({ pieces: tokenPieces(HELLO_TEXT), finishReason: 'stop' });
  });

  it('ends the stream on abort, and the upstream sees its connection closed', async () => {
    const scenario = `slow@client-abort-${protocol}`;
    const result = await harness.call('gateway-client', 'abortAfter', connection, `${providers[protocol].name}/${scenario}`, 2);
    expect(result).toEqual({ pieces: ['Chunk 1.', ' Chunk 2.'], ended: 'AbortError' });
    const deadline = Date.now() + 2000;
    let progress = await upstreamControl(harness.gateway.upstreamUrl).streamProgress(scenario);
    while (!progress.aborted && Date.now() < deadline) progress = await upstreamControl(harness.gateway.upstreamUrl).streamProgress(scenario);
    expect(progress).toMatchObject({ aborted: true, finished: false });
  });
});

it('throws GatewayErrors a page can act on: a 429 with its Retry-After, an error inside a stream', async () => {
  expect(await harness.call('gateway-client', 'failure', connection, `${providers.openai.name}/always-429`, false)).toMatchObject({
    status: 429,
    code: 'RATE_LIMITED',
    details: { upstreamStatus: 429 },
    retryAfterSeconds: 30,
  });
  expect(await harness.call('gateway-client', 'failure', connection, `${providers.anthropic.name}/error-after-200`, true)).toMatchObject({ status: 200, code: 'PROVIDER_ERROR' });
  expect(await harness.call('gateway-client', 'failure', connection, 'no-such-provider/x', false)).toMatchObject({ status: 404, code: 'NOT_FOUND', details: { field: 'model' } });
});

it('lists the models', async () => {
  const models = await harness.call('gateway-client', 'models', connection);
  expect(models).toContain(`${providers.openai.name}/gpt-test`);
  expect(models).toContain(`${providers.anthropic.name}/claude-test`);
});

it('manages providers: create, update, health, import dry run, a validation error, delete', async () => {
  const name = `browser-${crypto.randomUUID().slice(0, 8)}`;
  expect(await harness.call('gateway-client', 'manageProviders', admin, `${harness.gateway.upstreamUrl}/openai/v1`, name)).toEqual({
    hint: '…1234',
    renamed: `${name}-renamed`,
    listed: true,
    health: 'ok',
    circuit: 'closed',
    importedNames: [`${name}-imported`],
    dryRun: true,
    invalid: { status: 400, code: 'VALIDATION_ERROR', message: expect.any(String), details: expect.objectContaining({ field: 'baseUrl' }), retryAfterSeconds: null },
    afterDelete: { status: 404, code: 'NOT_FOUND', message: expect.any(String), details: null, retryAfterSeconds: null },
  });
});

it('reads the cache status and the serving provider from the answer\'s headers', async () => {
  const result = await harness.call('gateway-client', 'cached', connection, `${providers.openai.name}/gpt-test`, `echo: ${crypto.randomUUID()}`);
  expect(result).toEqual({ statuses: ['MISS', 'HIT'], providers: [providers.openai.name, providers.openai.name], same: true });
});

it('sent requests to the page\'s origin and the gateway only', () => {
  expect(harness.requestedOrigins()).toEqual(harness.ownOrigins());
});
