// The part of `cloudflare:test` (provided by @cloudflare/vitest-plugin inside workerd) these
// tests use, declared by hand: the package's own declaration relies on @cloudflare/workers-types'
// globals, which clash with the DOM lib the rest of the project is type-checked against.

declare module 'cloudflare:test' {
  import type { WorkerEnv } from '../../src/adapter/cloudflare-workers/worker-bindings.ts';

  /** The Worker under test (wrangler.toml `main`), reached like a service binding. */
  export const SELF: { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> };
  /** The same bindings the Worker gets: behaviourEnvironment, a Miniflare KV namespace, the DO namespace. */
  export const env: WorkerEnv & {
    /** A second Miniflare KV namespace, only for the store tests (see vitest.config.ts). */
    STORE_TEST_KV: import('../../src/adapter/cloudflare-workers/worker-bindings.ts').KvNamespace;
    /** wrangler.toml's [assets]: the built dist/public (the console, the API reference's files in docs/). */
    ASSETS: { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> };
  };
  /** Runs the callback inside the Durable Object behind the stub, with its state. */
  export function runInDurableObject<R>(
    stub: unknown,
    callback: (
      instance: unknown,
      state: { storage: { list(): Promise<Map<string, unknown>>; sql: { exec(query: string, ...bindings: unknown[]): { toArray(): unknown[] } }; kv: { put(key: string, value: unknown): void } } },
    ) => R | Promise<R>,
  ): Promise<R>;
}
