import { priceWorstCase } from '../budgets/price-worst-case.ts';
import { embeddingListSchema, type EmbeddingsRequest } from '../api/embeddings.ts';
import { callerKeyId, type Caller } from '../auth/caller.ts';
import type { BudgetGuard } from '../budgets/budget-guard.ts';
import { promptOnlyTokens } from '../budgets/worst-case-tokens.ts';
import { resolveChatTargets } from '../chat/chat-targets.ts';
import { permittedTargets } from '../chat/permitted-targets.ts';
import type { RecordUsage } from '../chat/record-usage.ts';
import type { Pricer } from '../cost/create-pricer.ts';
import { NO_TOKENS } from '../cost/token-counts.ts';
import { ApiError, ProviderError, ValidationError } from '../errors/api-error.ts';
import type { AbortSignalLike } from '../http/abort-signal-like.ts';
import { buildEmbeddingsRequest } from '../protocols/openai/build-embeddings-request.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';
import type { StoredProvider } from '../storage/provider-store.ts';

// POST /embeddings: the model routed as in chat, the caller's scope checked as for chat
// (permittedTargets) and its budget reserved (its worst case is the prompt alone), the request passed to an OpenAI-protocol provider, its answer checked
// and passed back as it came, and one usage record with its prompt tokens (recordUsage, as chat).
// Anthropic has no embeddings API: such a provider is refused before anything is sent. No
// fallbacks, response cache or circuit breaker here: the contract asks none of them for embeddings.

export interface EmbeddingsCall {
  request: EmbeddingsRequest;
  /** The body as received: every field the gateway does not read passes through. */
  body: Record<string, unknown>;
  caller: Caller;
  signal: AbortSignalLike;
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
  now: () => number;
  /** What each request cost (src/cost): its prompt tokens at the model's input rate. */
  pricer: Pricer;
}

export type EmbeddingsService = ReturnType<typeof createEmbeddingsService>;

export function createEmbeddingsService(options: EmbeddingsServiceOptions) {
  const { providers, gateway, budgets, recordUsage, now, pricer } = options;

  return {
    async embed(call: EmbeddingsCall): Promise<EmbeddingsAnswer> {
      const startedAt = now();
      // Chat's fallbacks are not taken here: passed on, they would reach the provider as an unknown field.
      if (call.body.models !== undefined) throw new ValidationError('Embeddings take one model: `models` (fallbacks) is for chat, messages and responses', { field: 'models' });
      const routed = await resolveChatTargets(providers, { model: call.request.model, provider_id: call.request.provider_id });
      const { provider, upstreamModel } = permittedTargets(call.caller, routed)[0]!;
      if (provider.routingMethod !== 'openai') {
        throw new ValidationError(`${provider.name} speaks the ${provider.routingMethod} protocol, which has no embeddings API`, { field: 'model' });
      }
      const reservation = await budgets.reserve(call.caller, call.body, promptOnlyTokens, (worst, at) => priceWorstCase(pricer, [{ provider, upstreamModel }], worst, at));
      const record = async (outcome: number, promptTokens: number, errorCode?: string) => {
        const counts = { ...NO_TOKENS, promptTokens };
        const costUsd = await pricer.costOf(provider, upstreamModel, counts, startedAt);
        await recordUsage(
          reservation,
          { time: startedAt, keyId: callerKeyId(call.caller), providerId: provider.id, model: upstreamModel, ...counts, costUsd, outcome, latencyMs: now() - startedAt, timeToFirstTokenMs: null, cached: false },
          provider.name,
          errorCode,
        );
      };
      let text: string;
      try {
        const { exchange } = await gateway.send(provider, (_protocol, apiKey) => buildEmbeddingsRequest(provider, apiKey, call.body, upstreamModel), 'POST', call.signal);
        text = await gateway.readBody(exchange);
      } catch (error) {
        if (error instanceof ApiError) await record(error.status, 0, error.code);
        else await reservation.release();
        throw error;
      }
      const checked = embeddingListSchema.safeParse(safeJson(text));
      if (!checked.success) {
        const failure = new ProviderError('The provider\'s answer is not an embedding list');
        await record(failure.status, 0, failure.code);
        throw failure;
      }
      await record(200, checked.data.usage?.prompt_tokens ?? 0);
      return { provider, model: upstreamModel, body: text };
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
