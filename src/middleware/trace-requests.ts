import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { Tracing } from '../telemetry/tracing.ts';

// Every API request's trace: started before its guard and route, told its status and route
// pattern once the app has answered (the runtime ends a streamed answer's span when it is sent).

export function traceRequests(tracing: Tracing): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const trace = tracing.startRequest(c);
    c.set('trace', trace);
    try {
      await next();
    } finally {
      trace.answered(c.res.status, c.req.routePath);
    }
  };
}
