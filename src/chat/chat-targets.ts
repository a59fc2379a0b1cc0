import type { ChatRequest } from '../api/chat.ts';
import { NotFoundError } from '../errors/api-error.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import { routeModel } from '../providers/route-model.ts';
import type { StoredProvider } from '../storage/provider-store.ts';

// Where a chat request goes: the provider and upstream model named by `model` (or by provider_id),
// then each of its `models` fallbacks in order. Every entry is resolved before anything is sent,
// so a typo in the third fallback is a 404 now, not a surprise during an outage.

export interface ChatTarget {
  provider: StoredProvider;
  upstreamModel: string;
  /** The request field that named it (`model`, `models[1]`), for error details. */
  field: string;
  /** Set when it is a target of the route `model` named (src/model-routes/route-balancer.ts). */
  route?: { name: string; weight: number };
}

type RoutedRequest = Pick<ChatRequest, 'model' | 'provider_id' | 'models'>;

export async function resolveChatTargets(providers: ProviderService, request: RoutedRequest): Promise<ChatTarget[]> {
  return [await resolvePrimary(providers, request), ...(await resolveFallbackTargets(providers, request.models))];
}

/** The `models` fallbacks alone: what follows a route's targets. */
export async function resolveFallbackTargets(providers: ProviderService, models: readonly string[] | undefined): Promise<ChatTarget[]> {
  const targets: ChatTarget[] = [];
  for (const [index, model] of (models ?? []).entries()) targets.push(await resolveNamed(providers, model, `models[${index}]`));
  return targets;
}

async function resolvePrimary(providers: ProviderService, request: RoutedRequest): Promise<ChatTarget> {
  if (request.provider_id === undefined) return resolveNamed(providers, request.model, 'model');
  const provider = await providers.resolve(request.provider_id);
  if (!provider) throw new NotFoundError(`Provider ${JSON.stringify(request.provider_id)} not found`, { field: 'provider_id' });
  // A model listed by GET /models ("name/model") may be sent together with provider_id.
  const prefix = request.model.slice(0, request.model.indexOf('/') + 1).toLowerCase();
  const named = prefix === `${provider.name.toLowerCase()}/` || prefix === `${provider.id.toLowerCase()}/`;
  return { provider, upstreamModel: named ? request.model.slice(prefix.length) : request.model, field: 'model' };
}

async function resolveNamed(providers: ProviderService, model: string, field: string): Promise<ChatTarget> {
  return { ...(await routeModel(providers, model, field)), field };
}
