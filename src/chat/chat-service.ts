import { priceWorstCase } from '../budgets/price-worst-case.ts';
import { chatCompletionChunkSchema, chatCompletionSchema, type ChatCompletion, type ChatRequest } from '../api/chat.ts';
import type { CacheStatus } from '../api/gateway-headers.ts';
import { mayUse } from '../access-keys/access-key-scope.ts';
import { callerKeyId, type Caller } from '../auth/caller.ts';
import type { BudgetGuard, Reservation } from '../budgets/budget-guard.ts';
import { estimateStreamUsage } from '../budgets/estimate-stream-usage.ts';
import type { Dialect, TokenCounter } from '../dialects/dialect.ts';
import { ApiError, ForbiddenError } from '../errors/api-error.ts';
import type { AbortSignalLike } from '../http/abort-signal-like.ts';
import type { Pricer } from '../cost/create-pricer.ts';
import { readTokenCounts } from '../cost/read-token-counts.ts';
import type { Logger } from '../logging/logger.ts';
import type { ResponseContext, TokenUsage } from '../protocols/chat-protocol.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';
import type { StoredProvider } from '../storage/provider-store.ts';
import type { UsageRecord } from '../storage/usage-ledger.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { trackAttempts, type TrackedAttempts } from '../telemetry/track-attempts.ts';
import type { RequestTrace } from '../telemetry/tracing.ts';
import { ClientAbortedError } from '../upstream/call-upstream.ts';
import { assembleCompletion } from './answer-cache/assemble-completion.ts';
import { deriveCacheKey } from './answer-cache/cache-key.ts';
import type { AnswerCache, CachedAnswer } from './answer-cache/cached-answer.ts';
import { replayAsStream } from './answer-cache/replay-as-stream.ts';
import { resolveChatTargets, resolveFallbackTargets, type ChatTarget } from './chat-targets.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { isFallbackTrigger } from './fallback-trigger.ts';
import { permittedTargets } from './permitted-targets.ts';
import { createUsageRecorder } from './record-usage.ts';
import type { ChatAnswer } from './chat-answer.ts';
import { presentInDialect } from './present-in-dialect.ts';
import { requestLogFields } from '../logs/request-log-fields.ts';
import { translateStream, type StreamSummary } from './translate-stream.ts';
import { permittedRouteTargets } from '../model-routes/permitted-route-targets.ts';
import type { RouteBalancer, RoutedRequest, TargetAttempt } from '../model-routes/route-balancer.ts';

// The chat exchange, owned here so the route only validates, routes and pipes: the caller's scope
// and budget, the response cache, the fallback chain with its circuit breakers, the upstream call,
// and one usage record per completion once its tokens are known (a stream's when it ends). The
// record settles the request's budget reservation (budgets/budget-guard.ts); a request that ends
// without one releases it.

export interface ChatCall {
  request: ChatRequest;
  /** The body as received, for what passes through to OpenAI-protocol upstreams. */
  body: Record<string, unknown>;
  caller: Caller;
  signal: AbortSignalLike;
  /** The response cache for this request: off, or its TTL and whether to skip reading it. */
  cache: { ttlSeconds: number; bypass: boolean } | undefined;
  /** Keeps a task running after the answer (Workers' waitUntil). */
  defer: (task: Promise<unknown>) => void;
  /** The client API to answer in; Chat Completions (the internal answer, untouched) when absent. */
  dialect?: Dialect;
  /** The request's X-Request-Id, for the request log. */
  requestId?: string;
  /** The request's trace: each upstream attempt is a span of it. */
  trace?: RequestTrace;
}

export interface ChatServiceOptions {
  providers: ProviderService;
  gateway: UpstreamGateway;
  budgets: BudgetGuard;
  breaker: CircuitBreaker;
  answerCache: AnswerCache;
  logger: Logger;
  now: () => number;
  telemetry: Telemetry;
  /** What each request cost (src/cost). */
  pricer: Pricer;
  /** Routes: a `model` that names one is served by its targets, in its strategy's order. */
  balancer: RouteBalancer;
}

/** Where a miss stores its answer, once it is complete and successful. */
interface CacheSlot {
  key: string;
  ttlSeconds: number;
  /** Keyed for a native answer: only a native target's answer fills it (and only a translated one fills a chat slot). */
  native: boolean;
}

export type ChatService = ReturnType<typeof createChatService>;

export function createChatService(options: ChatServiceOptions) {
  const { providers, gateway, budgets, breaker, answerCache, logger, now, pricer } = options;

  const record = createUsageRecorder(options.telemetry, logger);

  /** A cache hit (`provider` null) sent nothing upstream and costs 0; anything else is priced. */
  async function recordOf(call: ChatCall, served: { providerId: string; model: string; routeName: string | null; provider: StoredProvider | null }, startedAt: number, outcome: number | string, tokens: (TokenUsage & { estimated?: boolean }) | undefined, firstFrameAt: number | null, errorCode?: string): Promise<UsageRecord> {
    const counts = readTokenCounts(tokens);
    const cached = served.provider === null;
    return {
      time: startedAt,
      keyId: callerKeyId(call.caller),
      providerId: served.providerId,
      model: served.model,
      routeName: served.routeName,
      ...counts,
      costUsd: served.provider === null ? 0 : await pricer.costOf(served.provider, served.model, counts, startedAt),
      outcome,
      latencyMs: now() - startedAt,
      timeToFirstTokenMs: firstFrameAt === null ? null : firstFrameAt - startedAt,
      cached,
      ...(tokens?.estimated === true ? { estimated: true } : {}),
      ...requestLogFields({ requestId: call.requestId, route: call.dialect?.name ?? 'chat', stream: call.request.stream === true, cache: call.cache }, cached, errorCode),
    };
  }

  /** A failure to use the cache never fails the request: it is then a miss, or not stored. */
  async function cacheSafely<T>(operation: string, task: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await task();
    } catch (error) {
      logger.warn('response cache failed', { operation, error: error instanceof Error ? error.message : 'unknown' });
      return fallback;
    }
  }

  /** A hit: nothing goes upstream, and the usage record says cached with no tokens spent. */
  async function replay(call: ChatCall, reservation: Reservation, hit: CachedAnswer, startedAt: number, native: boolean, routeName: string | null): Promise<ChatAnswer> {
    const served = { provider: { id: hit.providerId, name: hit.providerName }, model: hit.model, cacheStatus: 'HIT' as const, droppedTools: native ? [] : (call.dialect?.droppedTools ?? []), native };
    await record(reservation, await recordOf(call, { providerId: hit.providerId, model: hit.model, routeName, provider: null }, startedAt, 200, undefined, now()), hit.providerName);
    if (native) {
      // A native answer is kept as it came: the JSON body, or a stream's event data in order.
      if (call.request.stream !== true) return { ...served, stream: false, body: hit.completion };
      return { ...served, stream: true, frames: once(replayNativeEvents(JSON.parse(hit.completion) as string[])), cancel() {} };
    }
    if (call.request.stream !== true) return { ...served, stream: false, body: hit.completion };
    const text = replayAsStream(JSON.parse(hit.completion) as ChatCompletion, call.request.stream_options?.include_usage === true);
    return { ...served, stream: true, frames: once(text), cancel() {} };
  }

  async function store(slot: CacheSlot, target: ChatTarget, completion: string, tokens: TokenUsage | undefined, native: boolean): Promise<void> {
    if (slot.native !== native) return;
    const answer: CachedAnswer = {
      providerId: target.provider.id,
      providerName: target.provider.name,
      model: target.upstreamModel,
      completion,
      promptTokens: tokens?.prompt_tokens ?? 0,
      completionTokens: tokens?.completion_tokens ?? 0,
    };
    await cacheSafely('store', () => answerCache.store(slot.key, answer, slot.ttlSeconds), undefined);
  }

  async function attempt(call: ChatCall, reservation: Reservation, target: ChatTarget, startedAt: number, slot: CacheSlot | undefined, cacheStatus: CacheStatus | undefined, load: TargetAttempt | undefined, attempts: TrackedAttempts): Promise<ChatAnswer> {
    const { provider, upstreamModel } = target;
    const native = call.dialect?.native?.serves(provider) === true ? call.dialect.native : undefined;
    if (native === undefined && call.dialect?.untranslatable) throw call.dialect.untranslatable;
    const context: ResponseContext = {
      model: upstreamModel,
      created: Math.floor(now() / 1000),
      includeUsage: call.request.stream_options?.include_usage === true,
    };
    const { exchange, protocol, scrub } = await gateway.send(
      provider,
      (protocol, apiKey) => (native ? native.request(provider, apiKey, upstreamModel) : protocol.chatRequest(provider, apiKey, call.body, upstreamModel)),
      'POST',
      call.signal,
      // A route target that answers 429 rests, and the next target serves at once.
      target.route || attempts.policy ? { ...attempts.policy, ...(target.route ? { retryRateLimited: false } : {}) } : undefined,
    );
    const form = native ? call.dialect!.name : 'chat';
    const served = { provider, model: upstreamModel, cacheStatus, droppedTools: native ? [] : (call.dialect?.droppedTools ?? []), native: native !== undefined };
    if (call.request.stream !== true) {
      const text = await gateway.readBody(exchange);
      const converted = scrubbing(scrub, () => (native ? { body: text, usage: native.readAnswer(text) } : protocol.convertResponse(text, context)));
      load?.answered(now());
      attempts.answered(form, converted.usage, converted.body);
      if (slot) await store(slot, target, converted.body, converted.usage, native !== undefined);
      await record(reservation, await recordOf(call, { providerId: provider.id, model: upstreamModel, routeName: target.route?.name ?? null, provider }, startedAt, 200, converted.usage, null), provider.name);
      return { ...served, stream: false, body: converted.body };
    }
    const observer = attempts.observeStream(form);
    const settle = (summary: StreamSummary) => {
      load?.answered(summary.firstFrameAt);
      if (summary.outcome === 200) attempts.answered(form, summary.usage, undefined, observer?.summary);
      else attempts.broke(summary.failure?.code ?? null, summary.usage, observer?.summary);
      return finishStream(call, reservation, target, startedAt, summary, slot, native !== undefined);
    };
    // When the client left, nobody awaits the record: call.defer keeps the runtime alive for it.
    const translated = translateStream(exchange, protocol, context, { now, settle, defer: call.defer, scrub, collect: slot !== undefined, telemetry: options.telemetry, reader: native?.createStreamReader(), observe: observer?.feed });
    return { ...served, stream: true, frames: translated.frames, cancel: translated.cancel };
  }

  async function finishStream(call: ChatCall, reservation: Reservation, target: ChatTarget, startedAt: number, summary: StreamSummary, slot: CacheSlot | undefined, native: boolean): Promise<void> {
    // Only a stream that ended with [DONE] is a complete answer worth keeping.
    if (slot && native && summary.outcome === 200 && summary.chunks) {
      await store(slot, target, JSON.stringify(summary.chunks), summary.usage, true);
    } else if (slot && summary.outcome === 200 && summary.chunks) {
      const chunks = summary.chunks.map((data) => chatCompletionChunkSchema.safeParse(safeJson(data)));
      if (chunks.every((chunk) => chunk.success)) {
        const completion = chatCompletionSchema.parse(assembleCompletion(chunks.map((chunk) => chunk.data!)));
        await store(slot, target, JSON.stringify(completion), summary.usage, false);
      }
    }
    // The upstream's figure when it gave one, else the gateway's estimate: a stream is never recorded as free.
    const tokens = estimateStreamUsage(summary, call.body);
    await record(reservation, await recordOf(call, { providerId: target.provider.id, model: target.upstreamModel, routeName: target.route?.name ?? null, provider: target.provider }, startedAt, summary.outcome, tokens, summary.firstFrameAt, summary.failure?.code), target.provider.name, summary.failure?.code);
    if (summary.failure !== undefined) {
      logger.warn('stream failed', { providerId: target.provider.id, code: summary.failure.code, message: summary.failure.message });
    } else if (summary.outcome === 200) {
      logger.info('stream completed', {
        providerId: target.provider.id,
        model: target.upstreamModel,
        promptTokens: tokens.prompt_tokens,
        completionTokens: tokens.completion_tokens,
      });
    }
  }

  return {
    /**
     * Answers from the cache when it may, else tries the request's targets in order until one
     * answers; failures other than the fallback triggers end the chain at once. Throws the last
     * target's error when none answered.
     */
    async complete(call: ChatCall): Promise<ChatAnswer> {
      const answer = await exchange(call);
      return call.dialect ? presentInDialect(answer, call.dialect) : answer;
    },

    /** A prompt's size for the model it names, within the caller's scope: no fallbacks, nothing recorded. */
    async countTokens(call: Pick<ChatCall, 'request' | 'caller' | 'signal'>, counter: TokenCounter): Promise<number> {
      // A route's estimate comes from its first target: an estimate, whichever target would serve.
      const routed = call.request.provider_id === undefined ? await options.balancer.resolve(call.request.model) : null;
      const [target] = routed
        ? permittedRouteTargets(call.caller, routed, [])
        : await resolveChatTargets(providers, { model: call.request.model, provider_id: call.request.provider_id });
      const { provider, upstreamModel } = target!;
      if (!routed && call.caller.kind === 'access-key' && !mayUse(call.caller.key, provider, upstreamModel)) {
        throw new ForbiddenError(`This access key may not use ${provider.name}/${upstreamModel}`);
      }
      if (!counter.serves(provider)) return counter.estimate;
      const { exchange: counted } = await gateway.send(provider, (_protocol, apiKey) => counter.request(provider, apiKey, upstreamModel), 'POST', call.signal);
      return counter.read(await gateway.readBody(counted));
    },
  };

  async function exchange(call: ChatCall): Promise<ChatAnswer> {
    const startedAt = now();
    call.trace?.annotate({ route: call.dialect?.name ?? 'chat' });
    const routed = call.request.provider_id === undefined ? await options.balancer.resolve(call.request.model) : null;
    const targets = routed
      ? permittedRouteTargets(call.caller, routed, await resolveFallbackTargets(providers, call.request.models))
      : permittedTargets(call.caller, await resolveChatTargets(providers, call.request));
    // A route's request reserves its budget as any other does, before its targets are ordered; in
    // dollars at the dearest of the models it may be served by.
    const reservation = await budgets.reserve(call.caller, call.body, undefined, (worst, at) => priceWorstCase(pricer, targets, worst, at));
    try {
      return await serve(call, reservation, targets, routed, startedAt);
    } catch (error) {
      await reservation.release();
      throw error;
    }
  }

  /** The cache, then the targets in order: what exchange() does once the request holds its reservation. */
  async function serve(call: ChatCall, reservation: Reservation, permitted: ChatTarget[], routed: RoutedRequest | null, startedAt: number): Promise<ChatAnswer> {
    const { ordered: targets, resting } = routed ? await options.balancer.plan(routed.route.strategy, permitted) : { ordered: permitted, resting: undefined };
    let slot: CacheSlot | undefined;
    let cacheStatus: CacheStatus | undefined;
    if (call.cache) {
      // A native answer is kept in the dialect's own form, apart from chat's, and per delivery.
      // A route's answers are kept under the route, whichever target gave them.
      const first = targets[0] ?? permitted[0]!;
      const cacheTarget = routed ? routeCacheTarget(routed) : first;
      const nativeRoute = call.dialect?.native?.serves(first.provider) === true ? call.dialect.native : undefined;
      const native = nativeRoute !== undefined;
      const key = nativeRoute
        ? await deriveCacheKey(call.caller, cacheTarget, nativeRoute.body, `${call.dialect!.name}:${call.request.stream === true ? 'stream' : 'json'}`)
        : await deriveCacheKey(call.caller, cacheTarget, call.body);
      slot = { key, ttlSeconds: call.cache.ttlSeconds, native };
      cacheStatus = call.cache.bypass ? 'BYPASS' : 'MISS';
      const hit = call.cache.bypass ? null : await cacheSafely('lookup', () => answerCache.lookup(slot!.key), null);
      call.trace?.annotate({ cacheStatus: hit ? 'HIT' : cacheStatus });
      if (hit) return replay(call, reservation, hit, startedAt, native, routed?.route.name ?? null);
    }

    let lastError: ApiError | undefined;
    let lastTarget: ChatTarget | undefined;
    for (const target of targets) {
      const providerId = target.provider.id;
      if (!breaker.tryAcquire(providerId)) {
        lastError = breaker.openError(providerId);
        continue;
      }
      const load = target.route ? options.balancer.begin(target) : undefined;
      const attempts = trackAttempts(call.trace, {
        operation: 'chat',
        protocol: target.provider.routingMethod,
        providerName: target.provider.name,
        requestModel: target.upstreamModel,
        baseUrl: target.provider.baseUrl,
        route: call.dialect?.name ?? 'chat',
        ...(cacheStatus === undefined ? {} : { cacheStatus }),
      });
      try {
        const answer = await attempt(call, reservation, target, startedAt, slot, cacheStatus, load, attempts);
        breaker.recordSuccess(providerId);
        return answer;
      } catch (error) {
        attempts.failed(error);
        await load?.failed(error);
        if (error instanceof ClientAbortedError || !(error instanceof ApiError)) {
          breaker.abandon(providerId);
          throw error;
        }
        lastTarget = target;
        lastError = error;
        if (!isFallbackTrigger(error)) {
          breaker.recordSuccess(providerId);
          break;
        }
        breaker.recordFailure(providerId, error);
      }
    }
    // Nothing was sent: every route target rests, or those left were skipped by their breaker.
    if (!lastTarget && resting) throw resting;
    if (lastTarget) {
      await record(reservation, await recordOf(call, { providerId: lastTarget.provider.id, model: lastTarget.upstreamModel, routeName: lastTarget.route?.name ?? null, provider: lastTarget.provider }, startedAt, lastError!.status, undefined, null, lastError!.code), lastTarget.provider.name, lastError!.code);
    }
    throw lastError ?? new ForbiddenError('This access key may use none of the requested models');
  }
}

/** What a route's cache entries are keyed by in place of a provider and model. */
function routeCacheTarget(routed: RoutedRequest) {
  return { provider: { id: `route:${routed.route.id}` }, upstreamModel: '' };
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** A native stream kept as its events' data: Anthropic's and OpenAI Responses' event names are their data's `type`. */
function replayNativeEvents(events: readonly string[]): string {
  let text = '';
  for (const data of events) text += `event: ${(JSON.parse(data) as { type?: string }).type ?? 'message'}\ndata: ${data}\n\n`;
  return text;
}

/** An error the upstream's answer caused, with the secrets sent to it masked in its message (an upstream may repeat them). */
function scrubbing<T>(scrub: (text: string) => string, convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (error instanceof ApiError) error.message = scrub(error.message);
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
