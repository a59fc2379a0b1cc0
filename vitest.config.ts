import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { behaviourEnvironment } from './test/support/target.ts';

const path = (relative: string) => new URL(relative, import.meta.url).pathname;
// Tests use the client package's source, as the typecheck and the console build do (tsconfig
// paths). Exact matches: a plain key would also rewrite llm-gateway-client/presets.
const aliases = (target: string) => [
  { find: /^#target$/, replacement: path(target) },
  { find: /^llm-gateway-client$/, replacement: path('./packages/client/src/index.ts') },
  { find: /^llm-gateway-client\/presets$/, replacement: path('./packages/client/src/provider-presets.ts') },
];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: aliases('./test/support/node-target.ts') },
        test: {
          name: 'node',
          globalSetup: ['./test/support/global-setup.ts'],
          setupFiles: ['./test/support/loopback-only.ts'],
          environment: 'node',
          include: ['src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/workers/**', 'test/browser/**', 'test/containers/**', 'test/cli/**'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        // The behaviour suite again, against the Node server with its data in Redis (a
        // redis-server of the project's own, started by the global setup).
        resolve: { alias: aliases('./test/support/node-target.ts') },
        test: {
          name: 'node-redis',
          globalSetup: ['./test/support/global-setup.ts', './test/support/redis-global-setup.ts'],
          setupFiles: ['./test/support/loopback-only.ts'],
          environment: 'node',
          include: ['test/behaviour/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        // Real coding agents (Claude Code, Codex: native binaries from npm), each in a network
        // namespace with only loopback, with the gateway and the fake upstream inside it. Root only.
        test: {
          name: 'cli',
          environment: 'node',
          include: ['test/cli/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Real browser clients (the openai SDK, the AI SDK, the Anthropic SDK, plain fetch) in
        // Debian's Chromium, driven by playwright-core, against the real Node server.
        resolve: { alias: aliases('./test/support/node-target.ts') },
        test: {
          name: 'browser',
          globalSetup: ['./test/support/global-setup.ts', './test/browser/support/build-bundles.ts'],
          setupFiles: ['./test/support/loopback-only.ts'],
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        // The same behaviour suite against the Worker inside workerd (wrangler.toml's main, with
        // a Miniflare KV namespace and Durable Objects), plus the Workers-only tests.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: behaviourEnvironment,
              // Its own namespace for the store tests, so their thousand keys and corrupt values
              // stay out of the Worker's (storage is shared by every test file of the project).
              kvNamespaces: { STORE_TEST_KV: 'store-test-kv' },
            },
          }),
        ],
        resolve: { alias: aliases('./test/support/workers-target.ts') },
        test: {
          name: 'workers',
          globalSetup: ['./test/support/global-setup.ts'],
          setupFiles: ['./test/workers/loopback-only.ts'],
          // src/security too: the outbound policy trusts the runtime's URL parser to read an address as fetch will.
          include: ['test/behaviour/**/*.test.ts', 'test/workers/**/*.test.ts', 'src/adapter/cloudflare-workers/**/*.test.ts', 'src/security/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
    ],
  },
});
