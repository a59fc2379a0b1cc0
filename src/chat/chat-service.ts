import { chatCompletionChunkSchema, chatCompletionSchema, type ChatCompletion, type ChatRequest } from '../api/chat.ts';
import type { CacheStatus } from '../api/gateway-headers.ts';
import { mayUse } from '../access-keys/access-key-scope.ts';
import { callerKeyId, type Caller } from '../auth/caller.ts';
import type { BudgetGuard, Reservation } from '../budgets/budget-guard.ts';
import { estimateStreamUsage } from '../budgets/estimate-stream-usage.ts';
import { ApiError, ForbiddenError } from '../errors/api-error.ts';
import type { AbortSignalLike } from '../http/abort-signal-like.ts';
import type { Logger } from '../logging/logger.ts';
import type { ResponseContext, TokenUsage } from '../protocols/chat-protocol.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';
import type { StoredProvider } from '../storage/provider-store.ts';
import type { UsageRecord } from '../storage/usage-ledger.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { ClientAbortedError } from '../upstream/call-upstream.ts';
import { assembleCompletion } from './answer-cache/assemble-completion.ts';
import { deriveCacheKey } from './answer-cache/cache-key.ts';
import type { AnswerCache, CachedAnswer } from './answer-cache/cached-answer.ts';
import { replayAsStream } from './answer-cache/replay-as-stream.ts';
import { resolveChatTargets, type ChatTarget } from './chat-targets.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { isFallbackTrigger } from './fallback-trigger.ts';
import { translateStream, type StreamSummary } from './translate-stream.ts';

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
}

interface Served {
  /** The provider that served (from the cache: the one that served the cached answer). */
  provider: Pick<StoredProvider, 'id' | 'name'>;
  /** The upstream model that served. */
  model: string;
  /** Absent when caching is off for the request. */
  cacheStatus: CacheStatus | undefined;
}

export type ChatAnswer =
  | (Served & { stream: false; body: string })
  | (Served & { stream: true; frames: AsyncIterable<string>; cancel(): void });

export interface ChatServiceOptions {
  providers: ProviderService;
  gateway: UpstreamGateway;
  budgets: BudgetGuard;
  breaker: CircuitBreaker;
  answerCache: AnswerCache;
  logger: Logger;
  now: () => number;
  telemetry: Telemetry;
}

/** Where a miss stores its answer, once it is complete and successful. */
interface CacheSlot {
  key: string;
  ttlSeconds: number;
}

export type ChatService = ReturnType<typeof createChatService>;

export function createChatService(options: ChatServiceOptions) {
  const { providers, gateway, budgets, breaker, answerCache, logger, now } = options;

  /**
   * Awaited before the answer is complete, so the next request of the same key sees it (its
   * budget); a failure to record is logged, never the client's error.
   */
  async function record(reservation: Reservation, entry: UsageRecord, providerName: string, errorCode?: string): Promise<void> {
    options.telemetry.chat(entry, providerName, errorCode);
    try {
      await reservation.settle(entry);
    } catch (error) {
      logger.error('usage record failed', { providerId: entry.providerId, error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  function recordOf(call: ChatCall, served: { providerId: string; model: string }, startedAt: number, outcome: number | string, tokens: (TokenUsage & { estimated?: boolean }) | undefined, firstFrameAt: number | null, cached = false): UsageRecord {
    return {
      time: startedAt,
      keyId: callerKeyId(call.caller),
      providerId: served.providerId,
      model: served.model,
      promptTokens: tokens?.prompt_tokens ?? 0,
      completionTokens: tokens?.completion_tokens ?? 0,
      outcome,
      latencyMs: now() - startedAt,
      timeToFirstTokenMs: firstFrameAt === null ? null : firstFrameAt - startedAt,
      cached,
      ...(tokens?.estimated === true ? { estimated: true } : {}),
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

  /** The targets this caller may use: the first must be in its scope, fallbacks outside it are skipped. */
  async function permittedTargets(call: ChatCall): Promise<ChatTarget[]> {
    const targets = await resolveChatTargets(providers, call.request);
    if (call.caller.kind !== 'access-key') return targets;
    const key = call.caller.key;
    const [first] = targets;
    if (!mayUse(key, first!.provider, first!.upstreamModel)) {
      throw new ForbiddenError(`This access key may not use ${first!.provider.name}/${first!.upstreamModel}`);
    }
    return targets.filter((target) => mayUse(key, target.provider, target.upstreamModel));
  }

  /** A hit: nothing goes upstream, and the usage record says cached with no tokens spent. */
  async function replay(call: ChatCall, reservation: Reservation, hit: CachedAnswer, startedAt: number): Promise<ChatAnswer> {
    const served = { provider: { id: hit.providerId, name: hit.providerName }, model: hit.model, cacheStatus: 'HIT' as const };
    await record(reservation, recordOf(call, { providerId: hit.providerId, model: hit.model }, startedAt, 200, undefined, now(), true), hit.providerName);
    if (call.request.stream !== true) return { ...served, stream: false, body: hit.completion };
    const text = replayAsStream(JSON.parse(hit.completion) as ChatCompletion, call.request.stream_options?.include_usage === true);
    return {
      ...served,
      stream: true,
      frames: (async function* () {
        yield text;
      })(),
      cancel() {},
    };
  }

  async function store(slot: CacheSlot, target: ChatTarget, completion: string, tokens: TokenUsage | undefined): Promise<void> {
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

  async function attempt(call: ChatCall, reservation: Reservation, target: ChatTarget, startedAt: number, slot: CacheSlot | undefined, cacheStatus: CacheStatus | undefined): Promise<ChatAnswer> {
    const { provider, upstreamModel } = target;
    const context: ResponseContext = {
      model: upstreamModel,
      created: Math.floor(now() / 1000),
      includeUsage: call.request.stream_options?.include_usage === true,
    };
    const { exchange, protocol, scrub } = await gateway.send(
      provider,
      (protocol, apiKey) => protocol.chatRequest(provider, apiKey, call.body, upstreamModel),
      'POST',
      call.signal,
    );
    const served = { provider, model: upstreamModel, cacheStatus };
    if (call.request.stream !== true) {
      const text = await gateway.readBody(exchange);
      const converted = scrubbing(scrub, () => protocol.convertResponse(text, context));
      if (slot) await store(slot, target, converted.body, converted.usage);
      await record(reservation, recordOf(call, { providerId: provider.id, model: upstreamModel }, startedAt, 200, converted.usage, null), provider.name);
      return { ...served, stream: false, body: converted.body };
    }
    const settle = (summary: StreamSummary) => finishStream(call, reservation, target, startedAt, summary, slot);
    // When the client left, nobody awaits the record: call.defer keeps the runtime alive for it.
    const translated = translateStream(exchange, protocol, context, { now, settle, defer: call.defer, scrub, collect: slot !== undefined, telemetry: options.telemetry });
    return { ...served, stream: true, frames: translated.frames, cancel: translated.cancel };
  }

  async function finishStream(call: ChatCall, reservation: Reservation, target: ChatTarget, startedAt: number, summary: StreamSummary, slot: CacheSlot | undefined): Promise<void> {
    // Only a stream that ended with [DONE] is a complete answer worth keeping.
    if (slot && summary.outcome === 200 && summary.chunks) {
      const chunks = summary.chunks.map((data) => chatCompletionChunkSchema.safeParse(safeJson(data)));
      if (chunks.every((chunk) => chunk.success)) {
        const completion = chatCompletionSchema.parse(assembleCompletion(chunks.map((chunk) => chunk.data!)));
        await store(slot, target, JSON.stringify(completion), summary.usage);
      }
    }
    // The upstream's figure when it gave one, else the gateway's estimate: a stream is never recorded as free.
    const tokens = estimateStreamUsage(summary, call.body);
    await record(reservation, recordOf(call, { providerId: target.provider.id, model: target.upstreamModel }, startedAt, summary.outcome, tokens, summary.firstFrameAt), target.provider.name, summary.failure?.code);
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

  /** The cache, then the targets in order: what complete() does once the request holds its reservation. */
  async function serve(call: ChatCall, reservation: Reservation, targets: ChatTarget[], startedAt: number): Promise<ChatAnswer> {
    let slot: CacheSlot | undefined;
    let cacheStatus: CacheStatus | undefined;
    if (call.cache) {
      slot = { key: await deriveCacheKey(call.caller, targets[0]!, call.body), ttlSeconds: call.cache.ttlSeconds };
      cacheStatus = call.cache.bypass ? 'BYPASS' : 'MISS';
      const hit = call.cache.bypass ? null : await cacheSafely('lookup', () => answerCache.lookup(slot!.key), null);
      if (hit) return replay(call, reservation, hit, startedAt);
    }

    let lastError: ApiError | undefined;
    let lastTarget: ChatTarget | undefined;
    for (const target of targets) {
      const providerId = target.provider.id;
      if (!breaker.tryAcquire(providerId)) {
        lastError = breaker.openError(providerId);
        continue;
      }
      try {
        const answer = await attempt(call, reservation, target, startedAt, slot, cacheStatus);
        breaker.recordSuccess(providerId);
        return answer;
      } catch (error) {
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
    if (lastTarget) {
      await record(reservation, recordOf(call, { providerId: lastTarget.provider.id, model: lastTarget.upstreamModel }, startedAt, lastError!.status, undefined, null), lastTarget.provider.name, lastError!.code);
    }
    throw lastError ?? new ForbiddenError('This access key may use none of the requested models');
  }

  return {
    /**
     * Answers from the cache when it may, else tries the request's targets in order until one
     * answers; failures other than the fallback triggers end the chain at once. Throws the last
     * target's error when none answered.
     */
    async complete(call: ChatCall): Promise<ChatAnswer> {
      const startedAt = now();
      const targets = await permittedTargets(call);
      const reservation = await budgets.reserve(call.caller, call.body);
      try {
        return await serve(call, reservation, targets, startedAt);
      } catch (error) {
        await reservation.release();
        throw error;
      }
    },
  };
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
