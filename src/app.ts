import { Hono } from 'hono';
import type { Store } from 'hono-rate-limiter';
import type { AppEnv } from './app-env.ts';
import type { AppConfig } from './config/config-schema.ts';
import type { KeyCipher } from './crypto/key-cipher.ts';
import { NotFoundError } from './errors/api-error.ts';
import { renderError, toApiError } from './errors/render-error.ts';
import { webRequestIo, type RequestIo } from './http/request-io.ts';
import type { Logger } from './logging/logger.ts';
import { authenticate } from './middleware/auth.ts';
import { corsForBrowsers } from './middleware/cors-for-browsers.ts';
import { resolveClientAddress, type PeerAddress } from './middleware/client-address.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestLogger } from './middleware/request-logger.ts';
import { createProviderService } from './providers/provider-service.ts';
import { chatRoutes } from './routes/chat.ts';
import { healthRoutes } from './routes/health.ts';
import { messagesRoutes } from './routes/messages.ts';
import { modelRoutes } from './routes/models.ts';
import { providerCheckRoutes } from './routes/provider-checks.ts';
import { providerRoutes } from './routes/providers.ts';
import { parseUpstreamPolicy } from './security/upstream-policy.ts';
import { createUpstreamGateway } from './services/upstream-gateway.ts';
import type { ModelsCache } from './storage/models-cache.ts';
import type { ProviderStore } from './storage/provider-store.ts';
import { ClientAbortedError } from './upstream/call-upstream.ts';
import type { UpstreamClient } from './upstream/upstream-client.ts';

// The whole API as one Hono app, built from what the runtime hands in. Nothing here knows
// whether it runs on Node or on Workers.

export interface AppDependencies {
  config: AppConfig;
  store: ProviderStore;
  cipher: KeyCipher;
  modelsCache: ModelsCache;
  upstream: UpstreamClient;
  logger: Logger;
  /** The peer address the runtime sees (socket on Node, CF-Connecting-IP on Workers). */
  peerAddress: PeerAddress;
  /** Rate-limit counters; hono-rate-limiter's in-memory store when omitted. */
  rateLimitStores?: { general: Store; outbound: Store };
  /** How routes read the request body and see a client disconnect; the Web version when omitted. */
  requestIo?: RequestIo;
  now?: () => number;
  newId?: () => string;
}

export const API_BASE_PATH = '/api/v1';

// Routes that make an outbound call on demand get a tighter limit than the rest.
const outboundRoutePattern = /^\/api\/v1\/providers\/[^/]+\/(?:health|test|models\/refresh)$/;

export function createApp(dependencies: AppDependencies): Hono<AppEnv> {
  const { config, store, cipher, modelsCache, upstream, logger, peerAddress } = dependencies;
  const now = dependencies.now ?? Date.now;
  const io = dependencies.requestIo ?? webRequestIo;
  const upstreamPolicy = parseUpstreamPolicy(config.ALLOW_PRIVATE_UPSTREAMS);

  const providers = createProviderService({
    store,
    cipher,
    modelsCache,
    upstreamPolicy,
    now,
    newId: dependencies.newId ?? (() => crypto.randomUUID()),
  });
  const gateway = createUpstreamGateway({
    providers,
    cipher,
    modelsCache,
    call: {
      client: upstream,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      maxRetries: config.UPSTREAM_MAX_RETRIES,
      retryMaxDelayMs: config.UPSTREAM_RETRY_MAX_DELAY_MS,
    },
    modelsCacheTtlMs: config.MODELS_CACHE_TTL_MS,
    maxResponseBytes: config.MAX_UPSTREAM_RESPONSE_BYTES,
    now,
  });
  const clientKey = (c: Parameters<PeerAddress>[0]) => resolveClientAddress(c, peerAddress, config.TRUST_PROXY);

  const app = new Hono<AppEnv>();
  app.onError((error, c) => {
    // The client hung up while we waited for the provider: there is nobody to answer.
    if (error instanceof ClientAbortedError) return c.body(null, 499 as 400);
    const apiError = toApiError(error);
    if (apiError.status >= 500 && apiError.code === 'INTERNAL_ERROR') {
      logger.error('unhandled error', { requestId: c.get('requestId'), error: error instanceof Error ? error.name : 'unknown' });
    }
    return renderError(c, apiError);
  });
  app.notFound((c) => renderError(c, new NotFoundError(`Route ${c.req.method} ${c.req.path} not found`)));

  app.use('*', requestLogger(logger, now));
  app.use(
    `${API_BASE_PATH}/*`,
    corsForBrowsers({
      allowedOrigins: config.ALLOWED_ORIGINS,
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      exposeHeaders: [
        'X-Request-Id',
        'Retry-After',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
        'RateLimit-Policy',
        'X-Gateway-Provider',
        'X-Gateway-Cache-Status',
      ],
      maxAge: 600,
    }),
  );
  app.use(
    `${API_BASE_PATH}/*`,
    authenticate({
      apiToken: config.API_AUTH_TOKEN,
      adminToken: config.ADMIN_TOKEN,
      allowUnauthenticated: config.ALLOW_UNAUTHENTICATED,
    }),
  );
  app.use(
    `${API_BASE_PATH}/*`,
    rateLimit({
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      limit: config.RATE_LIMIT_MAX_REQUESTS,
      clientKey,
      store: dependencies.rateLimitStores?.general,
      prefix: 'all',
    }),
  );
  const outboundLimit = rateLimit({
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    limit: config.OUTBOUND_RATE_LIMIT_MAX_REQUESTS,
    clientKey,
    store: dependencies.rateLimitStores?.outbound,
    prefix: 'outbound',
  });
  app.use(`${API_BASE_PATH}/providers/*`, (c, next) => (outboundRoutePattern.test(c.req.path) ? outboundLimit(c, next) : next()));
  app.use(`${API_BASE_PATH}/*`, io.limitBody(config.MAX_REQUEST_BODY_BYTES));

  const api = new Hono<AppEnv>()
    .route('/', healthRoutes(now))
    .route('/', providerRoutes(providers))
    .route('/', providerCheckRoutes({ providers, gateway, io, now }))
    .route('/', modelRoutes({ providers, gateway, io, logger }))
    .route('/', chatRoutes({ providers, gateway, io, logger, now }))
    .route('/', messagesRoutes({ providers, gateway, io, logger }));
  app.route(API_BASE_PATH, api);
  return app;
}
