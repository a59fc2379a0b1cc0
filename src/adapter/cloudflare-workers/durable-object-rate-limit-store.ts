import type { Store } from 'hono-rate-limiter';
import type { RateLimitCounterNamespace } from './worker-bindings.ts';

// hono-rate-limiter's Store over the RateLimitCounter Durable Object: one object per key (the key
// already carries the limiter's prefix and the client address), so counts are exact across every
// isolate and location.

export function createDurableObjectRateLimitStore(namespace: RateLimitCounterNamespace): Store {
  let windowMs = 60_000;
  const counter = (key: string) => namespace.get(namespace.idFromName(key));
  return {
    localKeys: false,
    init(options) {
      windowMs = options.windowMs;
    },
    async increment(key) {
      const window = await counter(key).increment(windowMs);
      return { totalHits: window.totalHits, resetTime: new Date(window.resetTime) };
    },
    async decrement(key) {
      await counter(key).decrement();
    },
    async resetKey(key) {
      await counter(key).reset();
    },
  };
}
