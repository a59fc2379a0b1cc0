import type { Context } from 'hono';
import { createApp, type AppDependencies } from '../../app.ts';
import { configWarnings, parseConfig } from '../../config/config-schema.ts';
import { createKeyCipher } from '../../crypto/key-cipher.ts';
import { createLogger } from '../../logging/logger.ts';
import { createFetchUpstreamClient } from '../../upstream/fetch-upstream-client.ts';
import { readApiDescription } from './read-api-description.ts';
import type { WorkerEnv } from './worker-bindings.ts';
import { fetchPriceCatalogueAsset } from './fetch-price-catalogue-asset.ts';
import { createWorkersBackend } from './workers-backend.ts';

// Everything the Workers runtime hands to createApp, built from the Worker's env (vars, secrets,
// bindings): the Workers counterpart of create-node-app.ts. The caller builds it once per isolate,
// so the PBKDF2 derivation runs once, not per request.
//
// Unlike on Node, stored keys are not all test-decrypted here: that would cost a KV read per
// provider on every cold start. A wrong PROVIDER_ENCRYPTION_KEY surfaces per request instead,
// as ENCRYPTION_KEY_MISMATCH.

export class WorkerSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerSetupError';
  }
}

export interface WorkerAppOptions {
  /** Defaults to console.log, which Workers Logs and `wrangler dev` collect as JSON lines. */
  logWrite?: (line: string) => void;
  /** How long a rate-limit counter call may take before the request goes through uncounted. */
  rateLimitStoreTimeoutMs?: number;
  /** The clock of the app's own rules (circuit breaker, caches, budgets); for tests that move time. */
  now?: () => number;
  /** The random source of the `weighted` route strategy; for tests that seed it. */
  random?: () => number;
  /** Where GET /openapi.json comes from: the file the build wrote among the assets, unless a test builds it here. */
  apiDescription?: AppDependencies['apiDescription'];
}

export async function createWorkerApp(env: WorkerEnv, options: WorkerAppOptions = {}) {
  const config = parseConfig(env);
  const logger = createLogger({ level: config.LOG_LEVEL, write: options.logWrite ?? ((line) => console.log(line)) });
  for (const warning of configWarnings(config)) logger.warn(warning);
  if (!env.PROVIDERS_KV) throw new WorkerSetupError('The KV binding PROVIDERS_KV is missing: declare it under [[kv_namespaces]] in wrangler.toml.');
  for (const binding of ['RATE_LIMIT_COUNTER', 'USAGE_LEDGER'] as const) {
    if (!env[binding]) throw new WorkerSetupError(`The Durable Object binding ${binding} is missing: declare it under [[durable_objects.bindings]] in wrangler.toml.`);
  }
  if (!env.ASSETS) throw new WorkerSetupError('The static assets binding ASSETS is missing: declare it under [assets] in wrangler.toml.');
  if (config.PROVIDER_ENCRYPTION_KEY === undefined) {
    // No file system to keep a generated key in: the secret is required here.
    throw new WorkerSetupError('PROVIDER_ENCRYPTION_KEY is not set: add it with `wrangler secret put PROVIDER_ENCRYPTION_KEY` (or in .dev.vars for `wrangler dev`).');
  }

  const storage = createWorkersBackend(env, { logger, rateLimitStoreTimeoutMs: options.rateLimitStoreTimeoutMs });
  const cipher = await createKeyCipher(config.PROVIDER_ENCRYPTION_KEY, await storage.loadOrCreateSalt());
  const app = createApp({
    config,
    storage,
    cipher,
    upstream: createFetchUpstreamClient(),
    logger,
    // What hono/cloudflare-workers' getConnInfo reads; importing that module would also bundle its
    // WebSocket and static-file helpers, 1 KB the gateway never runs.
    peerAddress: (c) => c.req.header('cf-connecting-ip'),
    // The usage record of a streamed answer is written as the stream ends: keep the isolate for it.
    background: (c, task) => keepAlive(c, task),
    priceCatalogue: () => fetchPriceCatalogueAsset(env.ASSETS),
    apiDescription: options.apiDescription ?? (() => readApiDescription(env.ASSETS)),
    ...(options.now ? { now: options.now } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  return { app, config, logger };
}

/** waitUntil when the request came with an execution context (tests calling fetch directly have none). */
function keepAlive(c: Context, task: Promise<unknown>): void {
  let context: { waitUntil(task: Promise<unknown>): void } | undefined;
  try {
    context = c.executionCtx;
  } catch {
    context = undefined;
  }
  if (context) context.waitUntil(task);
}
