import * as z from 'zod';

// Headers on every answer, each a component of its own (`header.id`), so an operation refers to
// them instead of repeating them.

export const requestIdHeaders = z.object({
  'X-Request-Id': z.string().meta({ description: 'This request\'s id, as in the gateway\'s log line.', header: { id: 'X-Request-Id' } }),
});

/** On every answer under /api/v1, which passes the rate limiter. */
export const rateLimitHeaders = requestIdHeaders.extend({
  'RateLimit-Limit': z.string().optional().meta({ description: 'Requests allowed per window (absent when rate limiting is off).', header: { id: 'RateLimit-Limit' } }),
  'RateLimit-Remaining': z.string().optional().meta({ description: 'Requests left in this window.', header: { id: 'RateLimit-Remaining' } }),
  'RateLimit-Reset': z.string().optional().meta({ description: 'Seconds until the window resets.', header: { id: 'RateLimit-Reset' } }),
  'RateLimit-Policy': z.string().optional().meta({ description: 'The limit and window, e.g. `100;w=60`.', header: { id: 'RateLimit-Policy' } }),
});

export function withCommonHeaders<R extends { headers?: unknown }>(response: R, rateLimited: boolean): R & { headers: z.ZodObject } {
  const common = rateLimited ? rateLimitHeaders : requestIdHeaders;
  const own = response.headers instanceof z.ZodObject ? response.headers.shape : {};
  return { ...response, headers: common.extend(own) };
}
