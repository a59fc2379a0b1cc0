import type { ChatRequest } from '../api/chat.ts';
import { mayUse } from '../access-keys/access-key-scope.ts';
import type { AccessKeyService } from '../access-keys/access-key-service.ts';
import { callerKeyId, type Caller } from '../auth/caller.ts';
import { ApiError, ForbiddenError } from '../errors/api-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { ResponseContext, TokenUsage } from '../protocols/chat-protocol.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';
import type { StoredProvider } from '../storage/provider-store.ts';
import type { UsageLedger, UsageRecord } from '../storage/usage-ledger.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { ClientAbortedError } from '../upstream/call-upstream.ts';
import { resolveChatTargets, type ChatTarget } from './chat-targets.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { isFallbackTrigger } from './fallback-trigger.ts';
import { translateStream, type StreamSummary } from './translate-stream.ts';

// The chat exchange, owned here so the route only validates, routes and pipes: the caller's scope
// and budget, the fallback chain with its circuit breakers, the upstream call, and one usage
// record per completion once its tokens are known (a stream's when it ends).

export interface ChatCall {
  request: ChatRequest;
  /** The body as received, for what passes through to OpenAI-protocol upstreams. */
  body: Record<string, unknown>;
  caller: Caller;
  signal: AbortSignal;
  /** Keeps a task running after the answer (Workers' waitUntil). */
  defer: (task: Promise<unknown>) => void;
}

interface Served {
  provider: StoredProvider;
  /** The upstream model that served. */
  model: string;
}

export type ChatAnswer =
  | (Served & { stream: false; body: string })
  | (Served & { stream: true; frames: AsyncIterable<string>; cancel(): void });

export interface ChatServiceOptions {
  providers: ProviderService;
  gateway: UpstreamGateway;
  accessKeys: AccessKeyService;
  usage: UsageLedger;
  breaker: CircuitBreaker;
  logger: Logger;
  now: () => number;
  telemetry: Telemetry;
}

export type ChatService = ReturnType<typeof createChatService>;

export function createChatService(options: ChatServiceOptions) {
  const { providers, gateway, accessKeys, usage, breaker, logger, now } = options;

  /**
   * Awaited before the answer is complete, so the next request of the same key sees it (its
   * budget); a failure to record is logged, never the client's error.
   */
  async function record(entry: UsageRecord, provider: StoredProvider, errorCode?: string): Promise<void> {
    options.telemetry.chat(entry, provider.name, errorCode);
    try {
      await usage.record(entry);
    } catch (error) {
      logger.error('usage record failed', { providerId: entry.providerId, error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  function recordOf(call: ChatCall, target: ChatTarget, startedAt: number, outcome: number | string, tokens: TokenUsage | undefined, firstFrameAt: number | null): UsageRecord {
    const finishedAt = now();
    return {
      time: startedAt,
      keyId: callerKeyId(call.caller),
      providerId: target.provider.id,
      model: target.upstreamModel,
      promptTokens: tokens?.prompt_tokens ?? 0,
      completionTokens: tokens?.completion_tokens ?? 0,
      outcome,
      latencyMs: finishedAt - startedAt,
      timeToFirstTokenMs: firstFrameAt === null ? null : firstFrameAt - startedAt,
      cached: false,
    };
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
    await accessKeys.assertWithinBudget(key);
    return targets.filter((target) => mayUse(key, target.provider, target.upstreamModel));
  }

  async function attempt(call: ChatCall, target: ChatTarget, startedAt: number): Promise<ChatAnswer> {
    const { provider, upstreamModel } = target;
    const stream = call.request.stream === true;
    const context: ResponseContext = {
      model: upstreamModel,
      created: Math.floor(now() / 1000),
      includeUsage: call.request.stream_options?.include_usage === true,
    };
    const { exchange, protocol } = await gateway.send(
      provider,
      (protocol, apiKey) => protocol.chatRequest(provider, apiKey, call.body, upstreamModel),
      'POST',
      call.signal,
    );
    if (!stream) {
      const converted = protocol.convertResponse(await gateway.readBody(exchange), context);
      await record(recordOf(call, target, startedAt, 200, converted.usage, null), provider);
      return { stream: false, provider, model: upstreamModel, body: converted.body };
    }
    const settle = (summary: StreamSummary) => {
      const task = finishStream(call, target, startedAt, summary);
      // When the client left, nobody awaits the record: keep the runtime alive for it.
      if (summary.outcome === 499) call.defer(task);
      return task;
    };
    const translated = translateStream(exchange, protocol, context, now, settle);
    return { stream: true, provider, model: upstreamModel, frames: translated.frames, cancel: translated.cancel };
  }

  async function finishStream(call: ChatCall, target: ChatTarget, startedAt: number, summary: StreamSummary): Promise<void> {
    await record(recordOf(call, target, startedAt, summary.outcome, summary.usage, summary.firstFrameAt), target.provider, summary.failure?.code);
    if (summary.failure !== undefined) {
      logger.warn('stream failed', { providerId: target.provider.id, code: summary.failure.code, message: summary.failure.message });
    } else if (summary.outcome === 200) {
      logger.info('stream completed', {
        providerId: target.provider.id,
        model: target.upstreamModel,
        promptTokens: summary.usage?.prompt_tokens,
        completionTokens: summary.usage?.completion_tokens,
      });
    }
  }

  return {
    /**
     * Tries the request's targets in order until one answers; failures other than the fallback
     * triggers end the chain at once. Throws the last target's error when none answered.
     */
    async complete(call: ChatCall): Promise<ChatAnswer> {
      const startedAt = now();
      const targets = await permittedTargets(call);
      let lastError: ApiError | undefined;
      let lastTarget: ChatTarget | undefined;
      for (const target of targets) {
        const providerId = target.provider.id;
        if (!breaker.tryAcquire(providerId)) {
          lastError = breaker.openError(providerId);
          continue;
        }
        try {
          const answer = await attempt(call, target, startedAt);
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
      if (lastTarget) await record(recordOf(call, lastTarget, startedAt, lastError!.status, undefined, null), lastTarget.provider, lastError!.code);
      throw lastError ?? new ForbiddenError('This access key may use none of the requested models');
    },
  };
}
