import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter, type Store } from 'hono-rate-limiter';
import { RateLimitedError } from '../errors/api-error.ts';

// hono-rate-limiter does the counting and the standard headers; this only decides the key and
// the contract's error body. The store is the storage backend's (memory on one Node process, a
// Durable Object on Workers, Redis across processes).

export interface RateLimitOptions {
  windowMs: number;
  /** A number, one per request (an access key's own limit), or false: no limit, nothing counted, stored or sent in headers. */
  limit: number | false | ((c: Context) => number);
  clientKey: (c: Context) => string;
  store?: Store;
  prefix: string;
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { limit } = options;
  if (limit === false) return (_, next) => next();
  const limitOf = typeof limit === 'number' ? () => limit : limit;
  return rateLimiter({
    windowMs: options.windowMs,
    limit: (c) => limitOf(c),
    standardHeaders: 'draft-6',
    keyGenerator: (c) => `${options.prefix}:${options.clientKey(c)}`,
    ...(options.store ? { store: options.store } : {}),
    handler: (c) => {
      const retryAfter = c.res.headers.get('Retry-After') ?? undefined;
      throw new RateLimitedError('Too many requests, try again later', retryAfter, { limit: limitOf(c), windowMs: options.windowMs });
    },
  });
}
