import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import type { Guards } from '../../auth/guards.ts';
import { describeRoute } from '../../openapi/describe-route.ts';
import type { ModelsCache } from '../../storage/models-cache.ts';
import type { Telemetry } from '../../telemetry/telemetry.ts';
import type { UsageRecord } from '../../storage/usage-ledger.ts';
import * as z from 'zod';

// The core's telemetry as Prometheus metrics (prom-client), served at GET /metrics with the
// management token. A registry per app, so two gateways in one process (tests) never share series.
// Labels are bounded: route patterns, not paths; provider names, not request ids; and models,
// which a client names as it likes, get a series of their own only for the first 100 names per
// provider and for any model the provider lists (its models cache), the rest count as "other".

const MAX_MODEL_SERIES_PER_PROVIDER = 100;
const OTHER_MODEL = 'other';

export interface PrometheusTelemetry extends Telemetry {
  registry: Registry;
  /** Mounts GET /metrics (outside /api/v1), behind the per-address limit: each wrong token is a counted guess. */
  mount(app: Hono<AppEnv>, guards: Guards, perAddressLimit: MiddlewareHandler<AppEnv>): void;
}

const describeMetrics = describeRoute({
  operationId: 'getMetrics',
  summary: 'Prometheus metrics (Node only)',
  description: 'Request counts by route and status, requests by model route and target, chat latency and time-to-first-token histograms by provider, tokens by provider and model, cost in US dollars by provider and model (llm_gateway_cost_usd_total), upstream errors by code, open streams, and the process metrics, in Prometheus\' text format.',
  tags: ['Operations'],
  responses: { 200: { description: 'The exposition, text format 0.0.4.', content: { 'text/plain': { schema: z.string() } } } },
});

const latencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

export function createPrometheusTelemetry(options: { modelsCache: ModelsCache }): PrometheusTelemetry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gateway_' });
  const requests = new Counter({ name: 'gateway_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const chatDuration = new Histogram({ name: 'gateway_chat_duration_seconds', help: 'Chat completions from request to the end of the answer, by provider', labelNames: ['provider', 'cached'], buckets: latencyBuckets, registers: [registry] });
  const timeToFirstToken = new Histogram({ name: 'gateway_chat_time_to_first_token_seconds', help: 'Streamed chat completions from request to the first chunk, by provider', labelNames: ['provider'], buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10], registers: [registry] });
  const tokens = new Counter({ name: 'gateway_tokens_total', help: 'Tokens the upstreams reported, by provider, model and kind', labelNames: ['provider', 'model', 'kind'], registers: [registry] });
  const upstreamErrors = new Counter({ name: 'gateway_upstream_errors_total', help: 'Chat completions that failed, by provider and error code', labelNames: ['provider', 'code'], registers: [registry] });
  // The contract's name (v1.2, "Cost"), hence not the gateway_ prefix of the others.
  const cost = new Counter({ name: 'llm_gateway_cost_usd_total', help: 'What requests cost in US dollars, by provider and model (requests with no known price add nothing)', labelNames: ['provider', 'model'], registers: [registry] });
  const routeRequests = new Counter({ name: 'gateway_route_requests_total', help: 'Requests that named a route, by route and the target that served (or failed last): provider and model', labelNames: ['route', 'provider', 'model'], registers: [registry] });
  const openStreams = new Gauge({ name: 'gateway_open_streams', help: 'Streamed answers being sent now', registers: [registry] });

  /** Per provider id, the names that have a series of their own without being listed. */
  const namedModels = new Map<string, Set<string>>();
  /** The model's own label if it has (or may take) a series, else undefined: ask the provider's list. */
  function ownLabel(record: UsageRecord): string | undefined {
    let names = namedModels.get(record.providerId);
    if (names === undefined) namedModels.set(record.providerId, (names = new Set()));
    if (names.has(record.model)) return record.model;
    if (names.size >= MAX_MODEL_SERIES_PER_PROVIDER) return undefined;
    names.add(record.model);
    return record.model;
  }
  async function listedLabel(record: UsageRecord): Promise<string> {
    const listed = await options.modelsCache.get(record.providerId).catch(() => null);
    return listed?.data.some((model) => model.id === record.model) ? record.model : OTHER_MODEL;
  }
  function countUsage(record: UsageRecord, providerName: string, model: string): void {
    if (record.promptTokens > 0) tokens.inc({ provider: providerName, model, kind: 'prompt' }, record.promptTokens);
    if (record.completionTokens > 0) tokens.inc({ provider: providerName, model, kind: 'completion' }, record.completionTokens);
    if (record.costUsd !== null && record.costUsd > 0) cost.inc({ provider: providerName, model }, record.costUsd);
  }

  return {
    registry,
    request(route, method, status) {
      requests.inc({ route, method, status: String(status) });
    },
    chat(record, providerName, errorCode) {
      chatDuration.observe({ provider: providerName, cached: String(record.cached) }, record.latencyMs / 1000);
      if (record.timeToFirstTokenMs !== null && !record.cached) timeToFirstToken.observe({ provider: providerName }, record.timeToFirstTokenMs / 1000);
      if (record.promptTokens > 0 || record.completionTokens > 0) {
        const label = ownLabel(record);
        if (label !== undefined) countUsage(record, providerName, label);
        // Past the hundred names: a lookup in the models cache (memory, or one Redis read).
        else void listedLabel(record).then((listed) => countUsage(record, providerName, listed));
      }
      if (errorCode !== undefined) upstreamErrors.inc({ provider: providerName, code: errorCode });
      if (record.routeName) routeRequests.inc({ route: record.routeName, provider: providerName, model: record.model });
    },
    streamOpened: () => openStreams.inc(),
    streamClosed: () => openStreams.dec(),
    mount(app, guards, perAddressLimit) {
      app.get('/metrics', perAddressLimit, guards.management, describeMetrics, async (c) => c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType }));
    },
  };
}
