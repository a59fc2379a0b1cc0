import type { MiddlewareHandler } from 'hono';
import { rateLimiter, type Store } from 'hono-rate-limiter';
import { RateLimitedError } from '../errors/api-error.ts';

// hono-rate-limiter does the counting and the standard headers; this only decides the key and
// the contract's error body. The store is the runtime's choice (memory on one Node process).

export interface RateLimitOptions {
  windowMs: number;
  /** false: no limit; nothing is counted, stored or sent in headers. */
  limit: number | false;
  clientKey: (c: Parameters<MiddlewareHandler>[0]) => string;
  store?: Store;
  prefix: string;
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { limit } = options;
  if (limit === false) return (_, next) => next();
  return rateLimiter({
    windowMs: options.windowMs,
    limit,
    standardHeaders: 'draft-6',
    keyGenerator: (c) => `${options.prefix}:${options.clientKey(c)}`,
    ...(options.store ? { store: options.store } : {}),
    handler: (c) => {
      const retryAfter = c.res.headers.get('Retry-After') ?? undefined;
      throw new RateLimitedError('Too many requests, try again later', retryAfter, { limit, windowMs: options.windowMs });
    },
  });
}
