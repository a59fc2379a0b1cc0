import type { Store } from 'hono-rate-limiter';
import type { Logger } from '../logging/logger.ts';

// A rate-limit store that can fail (a Durable Object call over the network on Workers, Redis on
// Node) must never turn into a 500 for the client: an error or a slow answer lets the request
// through uncounted (its RateLimit headers show the full limit) and logs a warning. Limiting is
// protection, not the service itself; what must not be let through unchecked (access keys,
// budgets) is checked against the store itself and fails closed there.

const DEFAULT_TIMEOUT_MS = 1_000;

export function failOpen(store: Store, logger: Logger, timeoutMs = DEFAULT_TIMEOUT_MS): Store {
  async function guarded<T>(operation: string, run: () => T | Promise<T>, fallback: T): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(run), timeout]);
    } catch (error) {
      logger.warn('rate limit store failed; letting the request through', {
        operation,
        error: error instanceof Error ? error.message : 'unknown',
      });
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    localKeys: store.localKeys ?? false,
    init: (options) => store.init?.(options),
    increment: (key) => guarded('increment', () => store.increment(key), { totalHits: 0, resetTime: undefined }),
    decrement: (key) => guarded('decrement', () => store.decrement(key), undefined),
    resetKey: (key) => guarded('resetKey', () => store.resetKey(key), undefined),
  };
}
