import type { RouteStrategy } from '../api/model-routes.ts';
import type { LatencyView } from './target-latency.ts';

// The order in which a route's available targets are tried: the strategy's pick first, then,
// should it fail before anything reached the client, the next best of those left, and so on.
// Pure: what it needs (weights, requests in flight, latencies, a random source) comes in.

export interface Candidate {
  /** `<provider id>/<upstream model>`. */
  key: string;
  weight: number;
  inFlight: number;
  latency: LatencyView;
}

/** `random` returns a number in [0, 1), as Math.random does. */
export function orderRouteTargets<T extends Candidate>(strategy: RouteStrategy, candidates: readonly T[], random: () => number): T[] {
  switch (strategy) {
    case 'weighted':
      return drawByWeight(candidates, random);
    case 'least-busy':
      return orderLeastBusy(candidates, random);
    case 'lowest-latency':
      return orderLowestLatency(candidates);
    default: {
      const never: never = strategy;
      throw new Error(`unknown strategy ${String(never)}`);
    }
  }
}

/** Draws without replacement, each in proportion to its weight among those left. */
function drawByWeight<T extends Candidate>(candidates: readonly T[], random: () => number): T[] {
  const left = [...candidates];
  const order: T[] = [];
  while (left.length > 1) {
    const total = left.reduce((sum, candidate) => sum + candidate.weight, 0);
    let point = random() * total;
    let index = 0;
    while (index < left.length - 1 && point >= left[index]!.weight) {
      point -= left[index]!.weight;
      index++;
    }
    order.push(...left.splice(index, 1));
  }
  return [...order, ...left];
}

/** Fewest in flight first; targets equally busy in a weighted draw, so idle targets share the load. */
function orderLeastBusy<T extends Candidate>(candidates: readonly T[], random: () => number): T[] {
  const levels = [...new Set(candidates.map((candidate) => candidate.inFlight))].sort((a, b) => a - b);
  return levels.flatMap((level) => drawByWeight(candidates.filter((candidate) => candidate.inFlight === level), random));
}

/**
 * Targets with no recent measurement and no probe out first (in the route's order), then by
 * recent (or, while probed, last known) time to first token; never-measured targets whose probe
 * is still out come last. Ties keep the route's order.
 */
function orderLowestLatency<T extends Candidate>(candidates: readonly T[]): T[] {
  const rank = (candidate: Candidate): [number, number] => {
    const { recentMs, lastKnownMs, probing } = candidate.latency;
    if (recentMs !== null) return [1, recentMs];
    if (!probing) return [0, 0];
    return lastKnownMs === null ? [2, 0] : [1, lastKnownMs];
  };
  return candidates
    .map((candidate, index) => ({ candidate, index, rank: rank(candidate) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.index - b.index)
    .map((entry) => entry.candidate);
}
