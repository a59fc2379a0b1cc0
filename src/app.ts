import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { createAccessKeyService } from './access-keys/access-key-service.ts';
import type { AppEnv } from './app-env.ts';
import { createGuards } from './auth/guards.ts';
import { createBudgetGuard } from './budgets/budget-guard.ts';
import { createAnswerCache } from './chat/answer-cache/cached-answer.ts';
import { createChatService } from './chat/chat-service.ts';
import { createCircuitBreaker } from './chat/circuit-breaker.ts';
import { createUsageRecorder } from './chat/record-usage.ts';
import type { AppConfig } from './config/config-schema.ts';
import { EMPTY_PRICE_CATALOGUE, type LoadPriceCatalogue } from './cost/catalogue/price-catalogue.ts';
import { createPricer } from './cost/create-pricer.ts';
import type { KeyCipher } from './crypto/key-cipher.ts';
import { createStoredResponses } from './dialects/responses/stored-responses.ts';
import { createEmbeddingsService } from './embeddings/embeddings-service.ts';
import type { Sha256Hex } from './crypto/sha256-hex.ts';
import { renderError, toApiError } from './errors/render-error.ts';
import { retryCannotHelp, SHOULD_RETRY_HEADER } from './errors/retry-cannot-help.ts';
import { routeNotFound } from './errors/route-not-found.ts';
import { webRequestIo, type RequestIo } from './http/request-io.ts';
import type { Logger } from './logging/logger.ts';
import { resolveClientAddress, type PeerAddress } from './middleware/client-address.ts';
import { corsForBrowsers } from './middleware/cors-for-browsers.ts';
import { warnRefusedOriginOnce } from './middleware/warn-refused-origin.ts';
import { accessKeyRateLimit } from './middleware/access-key-rate-limit.ts';
import { outboundLimit } from './middleware/outbound-limit.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestLogger } from './middleware/request-logger.ts';
import { traceRequests } from './middleware/trace-requests.ts';
import { createProviderService } from './providers/provider-service.ts';
import { createModelRouteService } from './model-routes/model-route-service.ts';
import { createRouteBalancer } from './model-routes/route-balancer.ts';
import type { DocumentSource } from './openapi/build-openapi-document.ts';
import { errorDialectOf } from './openapi/describe-route.ts';
import { guardNames } from './openapi/security-schemes.ts';
import { accessKeyRoutes } from './routes/access-keys.ts';
import { apiDescriptionRoutes } from './routes/api-description.ts';
import { chatRoutes } from './routes/chat.ts';
import { embeddingsRoutes } from './routes/embeddings.ts';
import { healthRoutes } from './routes/health.ts';
import { logRoutes } from './routes/logs.ts';
import { messagesRoutes } from './routes/messages.ts';
import { responsesRoutes } from './routes/responses.ts';
import { modelRoutes } from './routes/models.ts';
import { modelRouteRoutes } from './routes/model-routes.ts';
import { providerCheckRoutes } from './routes/provider-checks.ts';
import { providerImportRoutes } from './routes/provider-import.ts';
import { providerRoutes } from './routes/providers.ts';
import { sessionRoutes } from './routes/session.ts';
import { usageRoutes } from './routes/usage.ts';
import { createUpstreamGateway } from './services/upstream-gateway.ts';
// A named import (no `with { type: 'json' }`, which allows only the default one), so that a bundle
// holds the version string and not the whole package.json: 1 KiB gzipped in the Worker.
import { version } from '../package.json';
import type { StorageBackend } from './storage/storage-backend.ts';
import { noTelemetry, type Telemetry } from './telemetry/telemetry.ts';
import { passThroughTracing } from './telemetry/pass-through-tracing.ts';
import type { Tracing } from './telemetry/tracing.ts';
import { ClientAbortedError } from './upstream/call-upstream.ts';
import type { UpstreamClient } from './upstream/upstream-client.ts';

// The whole API as one Hono app, built from what the runtime hands in. Nothing here knows
// whether it runs on Node or on Workers, nor which storage backend it was given.

export interface AppDependencies {
  config: AppConfig;
  storage: StorageBackend;
  cipher: KeyCipher;
  upstream: UpstreamClient;
  logger: Logger;
  /** The peer address the runtime sees (socket on Node, CF-Connecting-IP on Workers). */
  peerAddress: PeerAddress;
  /** How routes read the request body and see a client disconnect; the Web version when omitted. */
  requestIo?: RequestIo;
  /** Keeps a task alive after the answer was sent (Workers' waitUntil); by default it just runs. */
  background?: (c: Context<AppEnv>, task: Promise<unknown>) => void;
  telemetry?: Telemetry;
  /** Spans of requests and upstream attempts (OpenTelemetry on Node); the W3C trace context passed on when absent. */
  tracing?: Tracing;
  /**
   * Extra routes outside /api/v1 that the runtime adds (Node's /metrics), with the guards to use
   * and the per-address rate limit (the API's own counter) to put in front of any guard.
   */
  extraRoutes?: (app: Hono<AppEnv>, guards: ReturnType<typeof createGuards>, perAddressLimit: MiddlewareHandler<AppEnv>) => void;
  now?: () => number;
  /** Numbers in [0, 1) for the `weighted` route strategy; Math.random when absent (tests seed it). */
  random?: () => number;
  newId?: () => string;
  /** SHA-256 as hex for token comparison and access-key hashes: the runtime's fastest; WebCrypto when absent. */
  sha256Hex?: Sha256Hex;
  /** The price catalogue (a file on Node, a static asset on Workers); only providers' own pricing without it. */
  priceCatalogue?: LoadPriceCatalogue;
  /**
   * The OpenAPI document GET /openapi.json answers, as JSON text, asked for on the first request
   * for it (when every route, extraRoutes' too, is registered) and kept: built from this app's
   * routes on Node (openApiJson), read from the file the build wrote on Workers, which keeps the
   * builder and zod-openapi out of the Worker's bundle.
   */
  apiDescription: (app: DocumentSource) => string | Promise<string>;
}

export const API_BASE_PATH = '/api/v1';

export function createApp(dependencies: AppDependencies): Hono<AppEnv> {
  const { config, storage, cipher, upstream, logger, peerAddress } = dependencies;
  const now = dependencies.now ?? Date.now;
  const newId = dependencies.newId ?? (() => crypto.randomUUID());
  const io = dependencies.requestIo ?? webRequestIo;
  const telemetry = dependencies.telemetry ?? noTelemetry;
  const background = dependencies.background ?? ((_c, task) => void task);
  const upstreamPolicy = config.ALLOW_PRIVATE_UPSTREAMS;

  const providers = createProviderService({ store: storage.providers, cipher, modelsCache: storage.modelsCache, upstreamPolicy, now, newId });
  const gateway = createUpstreamGateway({
    providers,
    cipher,
    modelsCache: storage.modelsCache,
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
  const accessKeys = createAccessKeyService({ store: storage.accessKeys, usage: storage.usage, providers, now, newId, sha256Hex: dependencies.sha256Hex });
  const breaker = createCircuitBreaker(now);
  const answerCache = createAnswerCache(storage.responseCache, now);
  const pricer = createPricer(dependencies.priceCatalogue ?? (async () => EMPTY_PRICE_CATALOGUE), logger);
  const modelRoutesService = createModelRouteService({ store: storage.routes, providers, now, newId });
  const balancer = createRouteBalancer({
    findRoute: (name) => modelRoutesService.findByName(name),
    listProviders: () => providers.list(),
    rests: storage.targetRests,
    now,
    random: dependencies.random ?? Math.random,
    logger,
  });
  const budgets = createBudgetGuard({ reservations: storage.budgets, usage: storage.usage, now, newId });
  const chat = createChatService({ providers, gateway, budgets, breaker, answerCache, logger, now, telemetry, balancer, pricer });
  const embeddings = createEmbeddingsService({ providers, gateway, budgets, recordUsage: createUsageRecorder(telemetry, logger), balancer, breaker, now, pricer });
  const storedResponses = createStoredResponses(storage.responses, { now, ttlSeconds: config.RESPONSES_TTL_SECONDS });

  const clientKey = (c: Context) => resolveClientAddress(c, peerAddress, config.TRUST_PROXY);
  const perAddress = (prefix: string, limit: number | false) =>
    rateLimit({ windowMs: config.RATE_LIMIT_WINDOW_MS, limit, clientKey, store: storage.rateLimitStore(prefix, 'open'), prefix });
  const guards = createGuards({
    apiToken: config.API_AUTH_TOKEN,
    adminToken: config.ADMIN_TOKEN,
    allowUnauthenticated: config.ALLOW_UNAUTHENTICATED,
    authenticateAccessKey: (secret) => accessKeys.authenticate(secret),
    accessKeyLimit: accessKeyRateLimit((windowMs, keyOf, limitOf) => {
      const prefix = `access-key:${windowMs}`;
      // The operator gave this key a limit: a store that cannot count it refuses the request (503).
      return rateLimit({ windowMs, limit: limitOf, clientKey: keyOf, store: storage.rateLimitStore(prefix, 'closed'), prefix });
    }),
    sha256Hex: dependencies.sha256Hex,
    openMode: { allowedHosts: config.ALLOWED_HOSTS, allowedOrigins: config.ALLOWED_ORIGINS },
  });
  const outbound = outboundLimit(perAddress('outbound', config.OUTBOUND_RATE_LIMIT_MAX_REQUESTS));

  const app = new Hono<AppEnv>();
  app.onError((error, c) => {
    // The client hung up while we waited for the provider: there is nobody to answer.
    if (error instanceof ClientAbortedError) return c.body(null, 499 as 400);
    const apiError = toApiError(error);
    if (apiError.status >= 500 && apiError.code === 'INTERNAL_ERROR') {
      logger.error('unhandled error', { requestId: c.get('requestId'), error: error instanceof Error ? error.name : 'unknown' });
    }
    const dialect = errorDialectOf(c);
    if (dialect === undefined) return renderError(c, apiError);
    const { status, body } = dialect.render(apiError);
    return c.json(body, status as 400, retryCannotHelp(apiError) ? { ...apiError.headers, [SHOULD_RETRY_HEADER]: 'false' } : apiError.headers);
  });
  // An unknown route is only named to a caller who may use more than chat (an access key is
  // told what it may call instead).
  app.notFound(async (c) => {
    if (c.req.path.startsWith(`${API_BASE_PATH}/`) || c.req.path === API_BASE_PATH) {
      try {
        await guards.client(c, async () => undefined);
      } catch (error) {
        return renderError(c, toApiError(error));
      }
    }
    return renderError(c, routeNotFound(c.req.method, c.req.path, API_BASE_PATH));
  });

  app.use('*', requestLogger(logger, now, telemetry));
  app.use(`${API_BASE_PATH}/*`, traceRequests(dependencies.tracing ?? passThroughTracing));
  // Every route, the console's and extraRoutes' included: a server without a token takes no
  // request for another host and no write from another site's page.
  app.use('*', guards.openMode);
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
        'X-Gateway-Dropped-Tools',
        'X-Gateway-Model-Errors',
        // So a browser's SDK can see that a retry cannot help.
        'X-Should-Retry',
      ],
      maxAge: 600,
      onRefused: warnRefusedOriginOnce(logger),
    }),
  );
  // Every request from one address counts, whoever it claims to be; who may call what is decided
  // on each route below.
  const perAddressLimit = perAddress('all', config.RATE_LIMIT_MAX_REQUESTS);
  app.use(`${API_BASE_PATH}/*`, perAddressLimit);
  app.use(`${API_BASE_PATH}/*`, io.limitBody(config.MAX_REQUEST_BODY_BYTES));

  const api = new Hono<AppEnv>()
    .route('/', healthRoutes({ storage, now }))
    .route('/', sessionRoutes({ accessKeys, providers, guards }))
    .route('/', providerImportRoutes({ providers, guards }))
    .route('/', providerRoutes({ providers, guards }))
    .route('/', providerCheckRoutes({ providers, gateway, breaker, guards, outbound, io, now }))
    .route('/', modelRoutes({ providers, routes: modelRoutesService, gateway, guards, outbound, io, logger }))
    .route('/', modelRouteRoutes({ routes: modelRoutesService, guards }))
    .route('/', chatRoutes({ chat, guards, io, defer: background, defaultCacheTtlSeconds: config.RESPONSE_CACHE_TTL_SECONDS }))
    .route('/', accessKeyRoutes({ accessKeys, guards }))
    .route('/', usageRoutes({ usage: storage.usage, providers, guards, now }))
    .route('/', logRoutes({ requestLog: storage.requestLog, providers, guards }))
    .route('/', messagesRoutes({ chat, guards, io, defer: background, defaultCacheTtlSeconds: config.RESPONSE_CACHE_TTL_SECONDS }))
    .route('/', embeddingsRoutes({ embeddings, guards, io }))
    .route('/', responsesRoutes({ chat, stored: storedResponses, guards, io, now, defer: background, defaultCacheTtlSeconds: config.RESPONSE_CACHE_TTL_SECONDS }))
    .route('/', apiDescriptionRoutes({ document: () => dependencies.apiDescription(describedApp(app, guards, perAddressLimit)) }));
  app.route(API_BASE_PATH, api);
  dependencies.extraRoutes?.(app, guards, perAddressLimit);
  return app;
}

function describedApp(app: Hono<AppEnv>, guards: ReturnType<typeof createGuards>, perAddressLimit: MiddlewareHandler<AppEnv>): DocumentSource {
  return { routes: app.routes, guards: guardNames(guards), version, apiBasePath: API_BASE_PATH, rateLimiters: new Set([perAddressLimit]) };
}
