import { getConnInfo } from '@hono/node-server/conninfo';
import { join, resolve } from 'node:path';
import { createApp } from '../../app.ts';
import { configWarnings, parseConfig, type AppConfig } from '../../config/config-schema.ts';
import { DecryptionError, type KeyCipher } from '../../crypto/key-cipher.ts';
import { createLogger, type Logger } from '../../logging/logger.ts';
import { openCustomHeaders } from '../../providers/open-custom-headers.ts';
import { sealLegacyCustomHeaders } from '../../providers/seal-legacy-custom-headers.ts';
import { openApiJson } from '../../openapi/openapi-json.ts';
import type { ProviderStore } from '../../storage/provider-store.ts';
import type { UpstreamClient } from '../../upstream/upstream-client.ts';
import { createGuardedConnector } from './guarded-lookup.ts';
import { createNodeKeyCipher } from './node-key-cipher.ts';
import { nodeRequestIo } from './node-request-io.ts';
import { nodeSha256Hex } from './node-sha256-hex.ts';
import { createPrometheusTelemetry } from './prometheus-telemetry.ts';
import { readPriceCatalogueFile } from './read-price-catalogue-file.ts';
import { serveConsole } from './serve-console.ts';
import { EncryptionSetupError, resolveEncryptionSecret } from './encryption-secret.ts';
import { openNodeBackend, type NodeBackend } from './open-node-backend.ts';
import { RedisStartupError } from './redis/redis-connection.ts';
import { RedisSaltError } from './redis/redis-salt.ts';
import { createUndiciUpstreamClient } from './undici-upstream-client.ts';
import type { NodeTracing } from './otel/open-otel-tracing.ts';

// Everything the Node runtime hands to createApp, built from an environment record. Used by the
// server entry point, the key-rotation command and the tests, so they all run the same wiring.

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return loopbackHosts.has(host.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface NodeAppOptions {
  environment: Record<string, string | undefined>;
  /** Defaults to JSON lines on stdout. */
  logWrite?: (line: string) => void;
  /** For tests that must watch what leaves the process. */
  upstream?: UpstreamClient;
  /** How long to wait for a stale lock on the providers file; for tests that want a refusal sooner. */
  lockWaitMs?: number;
  /** The clock of the app's own rules (circuit breaker, caches, budgets); for tests that move time. */
  now?: () => number;
  /** The random source of the `weighted` route strategy; for tests that seed it. */
  random?: () => number;
  /** The built console served at / and the price catalogue beside it (npm run build); dist/public under the working directory by default. */
  publicFolder?: string;
  /** How long Redis may be unreachable at start-up (10 s); for tests that want a refusal sooner. */
  redisStartupWaitMs?: number;
  /** Opens the tracer (the server: OpenTelemetry from process.env, otel/open-otel-tracing.ts); the trace context is only passed on without one. */
  tracing?: (logger: Logger) => Promise<NodeTracing | undefined>;
}

/** Never settles: only the JSON-file backend has a lock to lose. */
const never = new Promise<void>(() => undefined);

export async function createNodeApp(options: NodeAppOptions) {
  const config = parseConfig(options.environment);
  const logger = createLogger({ level: config.LOG_LEVEL, write: options.logWrite ?? ((line) => process.stdout.write(`${line}\n`)) });
  for (const warning of configWarnings(config)) logger.warn(warning);
  const effectiveConfig = applyLoopbackDefault(config, logger);
  const tracing = await options.tracing?.(logger);

  if (config.REDIS_URL !== undefined && config.PROVIDER_ENCRYPTION_KEY === undefined) {
    // A key generated into each host's data folder would differ between the processes sharing Redis.
    throw new StartupError('REDIS_URL is set but PROVIDER_ENCRYPTION_KEY is not: every process sharing the Redis needs the same key (at least 32 characters, e.g. `openssl rand -base64 48`).');
  }
  let storage: NodeBackend;
  try {
    storage = await openNodeBackend(config, { logger, lockWaitMs: options.lockWaitMs, redisStartupWaitMs: options.redisStartupWaitMs });
  } catch (error) {
    await tracing?.close();
    if (error instanceof RedisStartupError) throw new StartupError(error.message);
    throw error;
  }
  try {
    const cipher = await openCipher(config, storage, logger);
    const undici = options.upstream ? undefined : createUndiciUpstreamClient({ connect: createGuardedConnector(config.ALLOW_PRIVATE_UPSTREAMS) });
    const telemetry = createPrometheusTelemetry({ modelsCache: storage.modelsCache });
    const publicFolder = options.publicFolder ?? resolve('dist/public');
    const app = createApp({
      config: effectiveConfig,
      storage,
      cipher,
      upstream: options.upstream ?? undici!.client,
      logger,
      // app.request() in tests has no socket; such requests share one bucket.
      peerAddress: (c) => (c.env?.incoming ? getConnInfo(c).remote.address : undefined),
      requestIo: nodeRequestIo,
      sha256Hex: nodeSha256Hex,
      telemetry,
      ...(tracing ? { tracing } : {}),
      priceCatalogue: () => readPriceCatalogueFile(join(publicFolder, 'price-catalogue.json')),
      apiDescription: openApiJson,
      extraRoutes: (routes, guards, perAddressLimit) => {
        telemetry.mount(routes, guards, perAddressLimit);
        serveConsole(routes, publicFolder);
      },
      ...(options.now ? { now: options.now } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
    return {
      app,
      config: effectiveConfig,
      logger,
      storage,
      /** Settles if another process took the data folder's lock: the server must stop. */
      lockLost: storage.kind === 'json-file' ? storage.lockLost : never,
      async close() {
        await undici?.close();
        await storage.close();
        await tracing?.close();
      },
    };
  } catch (error) {
    await storage.close();
    await tracing?.close();
    throw error;
  }
}

/**
 * Secure by default: with no API_AUTH_TOKEN the server only serves unauthenticated on loopback;
 * anywhere else the operator must say ALLOW_UNAUTHENTICATED=true.
 */
function applyLoopbackDefault(config: AppConfig, logger: Logger): AppConfig {
  if (config.API_AUTH_TOKEN !== undefined || config.ALLOW_UNAUTHENTICATED) return config;
  if (!isLoopbackHost(config.HOST)) {
    throw new StartupError(
      `HOST=${config.HOST} is not a loopback address and API_AUTH_TOKEN is not set: anyone who can reach this port could use your providers' keys. Set API_AUTH_TOKEN, or ALLOW_UNAUTHENTICATED=true if another layer guards access.`,
    );
  }
  logger.info('no API_AUTH_TOKEN: serving without authentication on loopback only', { host: config.HOST });
  return { ...config, ALLOW_UNAUTHENTICATED: true };
}

async function openCipher(config: AppConfig, storage: NodeBackend, logger: Logger): Promise<KeyCipher> {
  const stored = await storage.providers.list();
  try {
    const secret = storage.kind === 'redis'
      ? config.PROVIDER_ENCRYPTION_KEY!
      : await resolveEncryptionSecret({
          configured: config.PROVIDER_ENCRYPTION_KEY,
          production: config.NODE_ENV === 'production',
          dataFolder: storage.dataFolder,
          logger,
        });
    const salt = await storage.loadOrCreateSalt();
    const cipher = await createNodeKeyCipher(secret, salt);
    await verifyStoredKeys(stored, cipher);
    const sealed = await sealLegacyCustomHeaders(storage.providers, cipher);
    if (sealed > 0) logger.info('encrypted the custom header values that were stored in plain text', { providers: sealed });
    return cipher;
  } catch (error) {
    if (error instanceof EncryptionSetupError || error instanceof RedisSaltError) throw new StartupError(error.message);
    throw error;
  }
}

/** A wrong key is found at start-up, not on the first chat request; nothing is rewritten. */
async function verifyStoredKeys(stored: Awaited<ReturnType<ProviderStore['list']>>, cipher: KeyCipher): Promise<void> {
  for (const provider of stored) {
    if (provider.encryptedApiKey === null) continue;
    try {
      await cipher.decrypt(provider.encryptedApiKey, provider.id);
      await openCustomHeaders(cipher, provider);
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      throw new StartupError(
        `PROVIDER_ENCRYPTION_KEY cannot decrypt the stored providers (first failure: provider ${provider.id}). Start with the key they were saved with; the data has not been changed. To move to a new key, run \`npm run rotate-key\`.`,
      );
    }
  }
}
