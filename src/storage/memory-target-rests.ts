import type { TargetRestStore } from './target-rest-store.ts';

// Rests in this process's memory: what one Node process on the JSON files needs. Nothing is
// cleaned up: there is at most one entry per route target ever rested.

export function createMemoryTargetRests(): TargetRestStore {
  const rests = new Map<string, number>();
  return {
    async restingUntil(targets) {
      const found = new Map<string, number>();
      for (const target of targets) {
        const until = rests.get(target);
        if (until !== undefined) found.set(target, until);
      }
      return found;
    },
    async rest(target, until) {
      if (until > (rests.get(target) ?? 0)) rests.set(target, until);
    },
  };
}
