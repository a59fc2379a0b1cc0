// Where a route target that answered 429 rests until its Retry-After (contract v1.2, Routes), so
// that every process of a deployment skips it: this process's memory with the JSON files, a key
// with an expiry in Redis, a Durable Object on Workers. A target is `<provider id>/<upstream
// model>`: a provider's rate limit holds for every route that lists it.
//
// `until` is compared with the core's clock by the caller, never by the store (a store may answer
// a rest that has just ended); `forMs` is only for the store's own clean-up (Redis' PX, the
// Durable Object's alarm), which runs on real time.

export interface TargetRestStore {
  /** Until when each of these targets was last told to rest (epoch ms); never-rested targets are absent. */
  restingUntil(targets: readonly string[]): Promise<Map<string, number>>;
  /** Keeps the later of this and any rest already stored. */
  rest(target: string, until: number, forMs: number): Promise<void>;
}
