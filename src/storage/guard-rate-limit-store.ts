import type { Store } from 'hono-rate-limiter';
import { StorageUnavailableError } from '../errors/api-error.ts';
import type { Logger } from '../logging/logger.ts';

// A rate-limit store that can fail (a Durable Object call over the network on Workers, Redis on
// Node) must never turn into a 500. An error or a slow answer (past timeoutMs) either:
//
// - fails open, for the shared per-address limits: the request goes through uncounted (its
//   RateLimit headers show the full limit) and a warning is logged. Those limits protect the
//   gateway but are not the service; refusing every client during a storage hiccup would make the
//   hiccup an outage. A request that needs the storage for anything else is refused there anyway.
// - fails closed, for an access key's own limit: the operator gave that key a limit, so it is not
//   let through unchecked; the answer is 503 STORAGE_UNAVAILABLE (Retry-After: 2).

const DEFAULT_TIMEOUT_MS = 1_000;

export type RateLimitFailure = 'open' | 'closed';

export function guardRateLimitStore(store: Store, options: { logger: Logger; failure: RateLimitFailure; timeoutMs?: number }): Store {
  const { logger, failure } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  async function guarded<T>(operation: string, run: () => T | Promise<T>, fallback: T): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(run), timeout]);
    } catch (error) {
      logger.warn(failure === 'open' ? 'rate limit store failed; letting the request through' : 'rate limit store failed; refusing the request', {
        operation,
        error: error instanceof Error ? error.message : 'unknown',
      });
      if (failure === 'closed') throw new StorageUnavailableError();
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    localKeys: store.localKeys ?? false,
    init: (initOptions) => store.init?.(initOptions),
    increment: (key) => guarded('increment', () => store.increment(key), { totalHits: 0, resetTime: undefined }),
    decrement: (key) => guarded('decrement', () => store.decrement(key), undefined),
    resetKey: (key) => guarded('resetKey', () => store.resetKey(key), undefined),
  };
}
