import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { Logger } from '../logging/logger.ts';

// One line per request, from an allow-list of fields: never a body, a header bag or a key.

export function requestLogger(logger: Logger, now: () => number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = now();
    const requestId = crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('logFields', {});
    // Set before the handler runs: a header added to a finished response makes Hono clone it.
    c.header('X-Request-Id', requestId);
    await next();
    const status = c.res.status;
    const fields = {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      latencyMs: now() - started,
      ...c.get('logFields'),
    };
    if (status >= 500) logger.error('request', fields);
    else logger.info('request', fields);
  };
}
