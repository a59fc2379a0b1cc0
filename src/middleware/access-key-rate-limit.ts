import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { StoredAccessKey } from '../storage/access-key-store.ts';

// An access key's own rate limit, counted per key, on top of the per-address one. hono-rate-limiter
// fixes a limiter's window when its store is initialised, so keys that share a window share a
// limiter (each key its own counter in it), made the first time a key with that window is seen.

export type LimiterForWindow = (windowMs: number, keyOf: (c: Context) => string, limitOf: (c: Context) => number) => MiddlewareHandler;

export function accessKeyRateLimit(limiterFor: LimiterForWindow): MiddlewareHandler<AppEnv> {
  const byWindow = new Map<number, MiddlewareHandler>();
  const keyOf = (c: Context): StoredAccessKey => {
    const caller = (c as Context<AppEnv>).get('caller');
    if (caller?.kind !== 'access-key') throw new Error('accessKeyRateLimit runs only after an access key was accepted');
    return caller.key;
  };
  return (c, next) => {
    const rateLimit = keyOf(c).rateLimit;
    if (!rateLimit) return next();
    let limiter = byWindow.get(rateLimit.windowMs);
    if (!limiter) {
      limiter = limiterFor(rateLimit.windowMs, (context) => keyOf(context).id, (context) => keyOf(context).rateLimit?.requests ?? rateLimit.requests);
      byWindow.set(rateLimit.windowMs, limiter);
    }
    return limiter(c, next);
  };
}
