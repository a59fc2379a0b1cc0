import type { RouteStrategy } from '../api/model-routes.ts';
import type { ChatTarget } from '../chat/chat-targets.ts';
import { isFallbackTrigger } from '../chat/fallback-trigger.ts';
import { ApiError, NotFoundError, RateLimitedError } from '../errors/api-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { StoredProvider } from '../storage/provider-store.ts';
import type { StoredRoute } from '../storage/model-route-store.ts';
import type { TargetRestStore } from '../storage/target-rest-store.ts';
import { parseRetryAfterMs } from '../upstream/call-upstream.ts';
import { orderRouteTargets } from './order-route-targets.ts';
import { createTargetLatency } from './target-latency.ts';

// A request whose `model` is a route's name, from the route to the order its targets are tried
// in (the exchange then tries them as it tries fallbacks: chat-service.ts), and what each attempt
// teaches: requests in flight and time to first token (this process), and rests after a 429
// (every process, through the TargetRestStore).

/** How long a target rests after a 429 that gave no usable Retry-After. */
export const DEFAULT_REST_MS = 30_000;

export interface RouteBalancerOptions {
  findRoute(name: string): Promise<StoredRoute | null>;
  listProviders(): Promise<StoredProvider[]>;
  rests: TargetRestStore;
  now: () => number;
  random: () => number;
  logger: Logger;
}

export interface RoutedRequest {
  route: StoredRoute;
  /** The route's targets whose provider exists, in the route's order. */
  targets: ChatTarget[];
}

/** One attempt at one route target: settle it once, with its first token's time or its failure. */
export interface TargetAttempt {
  answered(firstTokenAt: number | null): void;
  failed(error: unknown): Promise<void>;
}

export type RouteBalancer = ReturnType<typeof createRouteBalancer>;

export const targetKeyOf = (target: Pick<ChatTarget, 'provider' | 'upstreamModel'>) => `${target.provider.id}/${target.upstreamModel}`;

export function createRouteBalancer(options: RouteBalancerOptions) {
  const { rests, now, random, logger } = options;
  const inFlight = new Map<string, number>();
  const latency = createTargetLatency(now);

  function findProvider(providers: readonly StoredProvider[], idOrName: string): StoredProvider | undefined {
    const lower = idOrName.toLowerCase();
    return providers.find((provider) => provider.id === idOrName) ?? providers.find((provider) => provider.name.toLowerCase() === lower);
  }

  async function restingUntil(keys: string[]): Promise<Map<string, number>> {
    try {
      return await rests.restingUntil(keys);
    } catch (error) {
      // Without the rests a request may meet a 429 again and fail over: better than no answer.
      logger.warn('route target rests unavailable; going without them', { error: error instanceof Error ? error.message : 'unknown' });
      return new Map();
    }
  }

  return {
    /** The route `model` names, with its targets resolved; null when it names none (it has a `/`, or no route has that name). */
    async resolve(model: string): Promise<RoutedRequest | null> {
      if (model.includes('/')) return null;
      const route = await options.findRoute(model);
      if (route === null) return null;
      const providers = await options.listProviders();
      const targets: ChatTarget[] = [];
      for (const target of route.targets) {
        const slash = target.model.indexOf('/');
        const provider = findProvider(providers, target.model.slice(0, slash));
        // A provider deleted after the route was saved: its target is left out, the others serve.
        if (provider) targets.push({ provider, upstreamModel: target.model.slice(slash + 1), field: 'model', route: { name: route.name, weight: target.weight } });
      }
      if (targets.length === 0) throw new NotFoundError(`No provider of route ${JSON.stringify(route.name)} exists any more`, { field: 'model' });
      return { route, targets };
    },

    /**
     * The targets to try, best first: the route's by its strategy, without those resting, then the
     * request's fallbacks in their order. `resting` is the 429 to answer when no target is tried
     * (every one rests, or those left are skipped by their circuit breaker).
     */
    async plan(strategy: RouteStrategy, all: readonly ChatTarget[]): Promise<{ ordered: ChatTarget[]; resting: RateLimitedError | undefined }> {
      const targets = all.filter((target) => target.route !== undefined);
      const fallbacks = all.filter((target) => target.route === undefined);
      const keys = targets.map(targetKeyOf);
      const until = await restingUntil(keys);
      const at = now();
      const candidates = targets
        .map((target, index) => ({ target, key: keys[index]!, weight: target.route?.weight ?? 1, inFlight: inFlight.get(keys[index]!) ?? 0, latency: latency.view(keys[index]!) }))
        .filter((candidate) => (until.get(candidate.key) ?? 0) <= at);
      const soonest = Math.min(...keys.map((key) => until.get(key) ?? 0).filter((time) => time > at));
      const resting = Number.isFinite(soonest)
        ? new RateLimitedError(`Every target of this route is resting after a rate limit; try again in ${Math.ceil((soonest - at) / 1000)} s`, String(Math.ceil((soonest - at) / 1000)), { reason: 'targets-resting' })
        : undefined;
      return { ordered: [...orderRouteTargets(strategy, candidates, random).map((candidate) => candidate.target), ...fallbacks], resting };
    },

    /** Called as the attempt starts (synchronously after ordering, so concurrent requests see it in flight). */
    begin(target: ChatTarget): TargetAttempt {
      const key = targetKeyOf(target);
      const startedAt = now();
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      const view = latency.view(key);
      if (view.recentMs === null && !view.probing) latency.probe(key);
      let settled = false;
      const settle = () => {
        if (settled) return false;
        settled = true;
        const left = (inFlight.get(key) ?? 1) - 1;
        if (left > 0) inFlight.set(key, left);
        else inFlight.delete(key);
        return true;
      };
      return {
        answered(firstTokenAt) {
          if (!settle()) return;
          if (firstTokenAt === null) latency.release(key);
          else latency.observe(key, Math.max(0, firstTokenAt - startedAt));
        },
        async failed(error) {
          if (!settle()) return;
          if (!(error instanceof ApiError) || !isFallbackTrigger(error)) return latency.release(key);
          if (error.code !== 'RATE_LIMITED') {
            // A 5xx, a timeout or a network error: the time it cost counts as its latency, so a
            // failing target does not stay "untried" and first in line until its breaker opens.
            latency.observe(key, Math.max(0, now() - startedAt));
            return;
          }
          latency.release(key);
          const restMs = parseRetryAfterMs(error.headers?.['Retry-After']) ?? DEFAULT_REST_MS;
          try {
            await rests.rest(key, now() + restMs, restMs);
          } catch (failure) {
            logger.warn('route target rest not stored', { providerId: target.provider.id, error: failure instanceof Error ? failure.message : 'unknown' });
          }
        },
      };
    },
  };
}
