import { getConnInfo } from 'hono/cloudflare-workers';
import { createApp } from '../../app.ts';
import { parseConfig } from '../../config/config-schema.ts';
import { createKeyCipher } from '../../crypto/key-cipher.ts';
import { createLogger } from '../../logging/logger.ts';
import { createFetchUpstreamClient } from '../../upstream/fetch-upstream-client.ts';
import { createDurableObjectRateLimitStore } from './durable-object-rate-limit-store.ts';
import { failOpen } from './fail-open-store.ts';
import { createKvModelsCache } from './kv-models-cache.ts';
import { createKvProviderStore } from './kv-provider-store.ts';
import { loadOrCreateKvSalt } from './kv-salt.ts';
import type { WorkerEnv } from './worker-bindings.ts';

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
}

export async function createWorkerApp(env: WorkerEnv, options: WorkerAppOptions = {}) {
  const config = parseConfig(env);
  const logger = createLogger({ level: config.LOG_LEVEL, write: options.logWrite ?? ((line) => console.log(line)) });
  if (!env.PROVIDERS_KV) throw new WorkerSetupError('The KV binding PROVIDERS_KV is missing: declare it under [[kv_namespaces]] in wrangler.toml.');
  if (!env.RATE_LIMIT_COUNTER) throw new WorkerSetupError('The Durable Object binding RATE_LIMIT_COUNTER is missing: declare it under [[durable_objects.bindings]] in wrangler.toml.');
  if (config.PROVIDER_ENCRYPTION_KEY === undefined) {
    // No file system to keep a generated key in: the secret is required here.
    throw new WorkerSetupError('PROVIDER_ENCRYPTION_KEY is not set: add it with `wrangler secret put PROVIDER_ENCRYPTION_KEY` (or in .dev.vars for `wrangler dev`).');
  }

  const salt = await loadOrCreateKvSalt(env.PROVIDERS_KV);
  const cipher = await createKeyCipher(config.PROVIDER_ENCRYPTION_KEY, salt);
  const app = createApp({
    config,
    store: createKvProviderStore(env.PROVIDERS_KV, { logger }),
    cipher,
    modelsCache: createKvModelsCache(env.PROVIDERS_KV),
    upstream: createFetchUpstreamClient(),
    logger,
    peerAddress: (c) => getConnInfo(c).remote.address,
    rateLimitStores: {
      general: failOpen(createDurableObjectRateLimitStore(env.RATE_LIMIT_COUNTER), logger, options.rateLimitStoreTimeoutMs),
      outbound: failOpen(createDurableObjectRateLimitStore(env.RATE_LIMIT_COUNTER), logger, options.rateLimitStoreTimeoutMs),
    },
  });
  return { app, config, logger };
}
