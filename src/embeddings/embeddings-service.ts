import { priceWorstCase } from '../budgets/price-worst-case.ts';
import { embeddingListSchema, type EmbeddingsRequest } from '../api/embeddings.ts';
import { callerKeyId, type Caller } from '../auth/caller.ts';
import type { BudgetGuard, Reservation } from '../budgets/budget-guard.ts';
import { promptOnlyTokens } from '../budgets/worst-case-tokens.ts';
import { resolveChatTargets, type ChatTarget } from '../chat/chat-targets.ts';
import type { CircuitBreaker } from '../chat/circuit-breaker.ts';
import { isFallbackTrigger } from '../chat/fallback-trigger.ts';
import { permittedTargets } from '../chat/permitted-targets.ts';
import type { RecordUsage } from '../chat/record-usage.ts';
import type { Pricer } from '../cost/create-pricer.ts';
import { NO_TOKENS } from '../cost/token-counts.ts';
import { ApiError, ProviderError, ValidationError } from '../errors/api-error.ts';
import type { AbortSignalLike } from '../http/abort-signal-like.ts';
import { permittedRouteTargets } from '../model-routes/permitted-route-targets.ts';
import type { RouteBalancer, RoutedRequest } from '../model-routes/route-balancer.ts';
import { buildEmbeddingsRequest } from '../protocols/openai/build-embeddings-request.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';
import type { StoredProvider } from '../storage/provider-store.ts';
import { requestLogFields } from '../logs/request-log-fields.ts';
import { trackAttempts } from '../telemetry/track-attempts.ts';
import type { RequestTrace } from '../telemetry/tracing.ts';
import { ClientAbortedError } from '../upstream/call-upstream.ts';

// POST /embeddings: the model routed as in chat, the caller's scope checked as for chat
// (permittedTargets) and its budget reserved (its worst case is the prompt alone), the request
// passed to an OpenAI-protocol provider, its answer checked and passed back as it came, and one
// usage record with its prompt tokens (recordUsage, as chat). Anthropic has no embeddings API:
// such a provider is refused before anything is sent. No fallbacks, response cache or circuit
// breaker for a provider's model: the contract asks none of them for embeddings. A route's name
// is served as chat serves it (contract v1.2): its targets that can embed, in the strategy's
// order, each skipped while its circuit is open or it rests, the next tried after a 429, 5xx,
// timeout or network error.

export interface EmbeddingsCall {
  request: EmbeddingsRequest;
  /** The body as received: every field the gateway does not read passes through. */
  body: Record<string, unknown>;
  caller: Caller;
  signal: AbortSignalLike;
  /** The request's X-Request-Id, for the request log. */
  requestId?: string;
  /** The request's trace: each upstream call is a span of it. */
  trace?: RequestTrace;
}

export interface EmbeddingsAnswer {
  provider: Pick<StoredProvider, 'id' | 'name'>;
  model: string;
  /** The provider's JSON, as it came. */
  body: string;
}

export interface EmbeddingsServiceOptions {
  providers: ProviderService;
  gateway: UpstreamGateway;
  budgets: BudgetGuard;
  recordUsage: RecordUsage;
  balancer: RouteBalancer;
  breaker: CircuitBreaker;
  now: () => number;
  /** What each request cost (src/cost): its prompt tokens at the model's input rate. */
  pricer: Pricer;
}

export type EmbeddingsService = ReturnType<typeof createEmbeddingsService>;

export function createEmbeddingsService(options: EmbeddingsServiceOptions) {
  const { providers, gateway, budgets, recordUsage, balancer, breaker, now, pricer } = options;

  async function record(call: EmbeddingsCall, reservation: Reservation, target: ChatTarget, startedAt: number, outcome: number, promptTokens: number, errorCode?: string) {
    const { provider, upstreamModel } = target;
    const counts = { ...NO_TOKENS, promptTokens };
    const costUsd = await pricer.costOf(provider, upstreamModel, counts, startedAt);
    return recordUsage(
      reservation,
      {
        time: startedAt, keyId: callerKeyId(call.caller), providerId: provider.id, model: upstreamModel, routeName: target.route?.name ?? null, ...counts, costUsd, outcome, latencyMs: now() - startedAt, timeToFirstTokenMs: null, cached: false,
        ...requestLogFields({ requestId: call.requestId, route: 'embeddings', stream: false, cache: undefined }, false, errorCode),
      },
      provider.name,
      errorCode,
    );
  }

  /** One upstream call; its answer checked. A route's target is not retried in place after a 429: the next one serves. */
  async function send(call: EmbeddingsCall, target: ChatTarget): Promise<{ body: string; promptTokens: number }> {
    const { provider, upstreamModel } = target;
    const attempts = trackAttempts(call.trace, { operation: 'embeddings', protocol: provider.routingMethod, providerName: provider.name, requestModel: upstreamModel, baseUrl: provider.baseUrl, route: 'embeddings' });
    const policy = target.route || attempts.policy ? { ...attempts.policy, ...(target.route ? { retryRateLimited: false } : {}) } : undefined;
    try {
      const { exchange } = await gateway.send(provider, (_protocol, apiKey) => buildEmbeddingsRequest(provider, apiKey, call.body, upstreamModel), 'POST', call.signal, policy);
      const text = await gateway.readBody(exchange);
      const checked = embeddingListSchema.safeParse(safeJson(text));
      if (!checked.success) throw new ProviderError('The provider\'s answer is not an embedding list');
      attempts.answered('chat', { prompt_tokens: checked.data.usage?.prompt_tokens });
      return { body: text, promptTokens: checked.data.usage?.prompt_tokens ?? 0 };
    } catch (error) {
      attempts.failed(error);
      throw error;
    }
  }

  async function embedAt(call: EmbeddingsCall, reservation: Reservation, target: ChatTarget, startedAt: number): Promise<EmbeddingsAnswer> {
    let answer: { body: string; promptTokens: number };
    try {
      answer = await send(call, target);
    } catch (error) {
      if (error instanceof ApiError) await record(call, reservation, target, startedAt, error.status, 0, error.code);
      throw error;
    }
    await record(call, reservation, target, startedAt, 200, answer.promptTokens);
    return { provider: target.provider, model: target.upstreamModel, body: answer.body };
  }

  async function embedThroughRoute(call: EmbeddingsCall, reservation: Reservation, routed: RoutedRequest, targets: ChatTarget[], startedAt: number): Promise<EmbeddingsAnswer> {
    const { ordered, resting } = await balancer.plan(routed.route.strategy, targets);
    let failed: { target: ChatTarget; error: ApiError } | undefined;
    let skipped: ApiError | undefined;
    for (const target of ordered) {
      const providerId = target.provider.id;
      if (!breaker.tryAcquire(providerId)) {
        skipped = breaker.openError(providerId);
        continue;
      }
      const load = balancer.begin(target);
      try {
        const answer = await send(call, target);
        load.answered(now());
        breaker.recordSuccess(providerId);
        await record(call, reservation, target, startedAt, 200, answer.promptTokens);
        return { provider: target.provider, model: target.upstreamModel, body: answer.body };
      } catch (error) {
        await load.failed(error);
        if (error instanceof ClientAbortedError || !(error instanceof ApiError)) {
          breaker.abandon(providerId);
          throw error;
        }
        failed = { target, error };
        if (!isFallbackTrigger(error)) {
          breaker.recordSuccess(providerId);
          break;
        }
        breaker.recordFailure(providerId, error);
      }
    }
    if (!failed) throw resting ?? skipped!;
    await record(call, reservation, failed.target, startedAt, failed.error.status, 0, failed.error.code);
    throw failed.error;
  }

  /** The targets this caller may use, openai-protocol ones only (the only protocol with an embeddings API). */
  async function embeddingTargets(call: EmbeddingsCall, routed: RoutedRequest | null): Promise<ChatTarget[]> {
    if (routed) {
      const targets = permittedRouteTargets(call.caller, routed, []).filter((target) => target.provider.routingMethod === 'openai');
      if (targets.length === 0) throw new ValidationError(`No target of the route ${routed.route.name} has an embeddings API (only openai-protocol providers have one)`, { field: 'model' });
      return targets;
    }
    const target = permittedTargets(call.caller, await resolveChatTargets(providers, { model: call.request.model, provider_id: call.request.provider_id }))[0]!;
    if (target.provider.routingMethod !== 'openai') {
      throw new ValidationError(`${target.provider.name} speaks the ${target.provider.routingMethod} protocol, which has no embeddings API`, { field: 'model' });
    }
    return [target];
  }

  return {
    async embed(call: EmbeddingsCall): Promise<EmbeddingsAnswer> {
      const startedAt = now();
      call.trace?.annotate({ route: 'embeddings' });
      // Chat's fallbacks are not taken here: passed on, they would reach the provider as an unknown field.
      if (call.body.models !== undefined) throw new ValidationError('Embeddings take one model: `models` (fallbacks) is for chat, messages and responses', { field: 'models' });
      const routed = call.request.provider_id === undefined ? await balancer.resolve(call.request.model) : null;
      const targets = await embeddingTargets(call, routed);
      const reservation = await budgets.reserve(call.caller, call.body, promptOnlyTokens, (worst, at) => priceWorstCase(pricer, targets, worst, at));
      try {
        return routed ? await embedThroughRoute(call, reservation, routed, targets, startedAt) : await embedAt(call, reservation, targets[0]!, startedAt);
      } catch (error) {
        // Nothing to do once the record settled it; else (nothing sent, a lost client) it ends here.
        await reservation.release();
        throw error;
      }
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
