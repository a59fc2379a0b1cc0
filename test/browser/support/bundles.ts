import type { anthropicSdk } from '../bundles/anthropic-sdk.ts';
import type { gatewayClient } from '../bundles/gateway-client.ts';
import type { aiSdk } from '../bundles/ai-sdk.ts';
import type { openaiSdk } from '../bundles/openai-sdk.ts';

// Every client library the browser tests load, each bundled for the browser at setup time
// (build-bundles.ts) and loaded by the test page (page-server.ts). A bundle is a file in
// test/browser/bundles/ that calls expose(name, api); to add one, add
// its entry here and its api type to BundleApis, and call it with harness.call().

export const BUNDLE_ENTRIES = {
  openai: 'test/browser/bundles/openai-sdk.ts',
  'ai-sdk': 'test/browser/bundles/ai-sdk.ts',
  anthropic: 'test/browser/bundles/anthropic-sdk.ts',
  'gateway-client': 'test/browser/bundles/gateway-client.ts',
} as const;

export interface BundleApis {
  openai: typeof openaiSdk;
  'ai-sdk': typeof aiSdk;
  anthropic: typeof anthropicSdk;
  'gateway-client': typeof gatewayClient;
}

export type BundleName = keyof typeof BUNDLE_ENTRIES & keyof BundleApis;
