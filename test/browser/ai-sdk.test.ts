import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELLO_TEXT, tokenPieces } from '../support/fake-upstream/scenarios.ts';
import { createTestProvider, type TestProvider } from '../support/providers.ts';
import { CLIENT_TOKEN } from '../support/target.ts';
import type { Connection } from './bundles/connection.ts';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness.ts';

// The Vercel AI SDK (ai + @ai-sdk/openai, Chat Completions) in Chromium, with only the gateway's
// base URL and token.

let harness: BrowserHarness;
let connection: Connection;
const providers = {} as Record<'openai' | 'anthropic', TestProvider>;

beforeAll(async () => {
  harness = await startBrowserHarness({ bundles: ['ai-sdk'] });
  connection = { baseURL: harness.gateway.apiBase, token: CLIENT_TOKEN };
  providers.openai = await createTestProvider(harness.gateway, 'openai');
  providers.anthropic = await createTestProvider(harness.gateway, 'anthropic');
});
afterAll(() => harness?.close());

const defaultModel = { openai: 'gpt-test', anthropic: 'claude-test' } as const;

describe.each(['openai', 'anthropic'] as const)('through an %s-protocol provider', (protocol) => {
  const model = () => `${providers[protocol].name}/${defaultModel[protocol]}`;

  it('generateText answers with the provider\'s text', async () => {
    expect(await harness.call('ai-sdk', 'generateText', connection, model())).toEqual({ text: HELLO_TEXT, finishReason: 'stop' });
  });

  it('streamText streams it piece by piece', async () => {
    expect(await harness.call('ai-sdk', 'streamText', connection, model())).toEqual({ pieces: tokenPieces(HELLO_TEXT), finishReason: 'stop' });
  });
});

it('sent requests to the page\'s origin and the gateway only', () => {
  expect(harness.ownOrigins()).toHaveLength(2);
  expect(harness.requestedOrigins()).toEqual(harness.ownOrigins());
});
