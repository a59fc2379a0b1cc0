import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../app-env.ts';

type CorsOptions = NonNullable<Parameters<typeof cors>[0]>;

// Hono's CORS middleware, run for the requests CORS is about: those that carry an Origin
// (browsers send it on every cross-origin request and every POST) and preflights. A request
// without one (an SDK, curl, another server) gets only `Vary: Origin`, so a cache never hands its
// answer to a browser. Why not run hono/cors on everything: it writes its headers onto `c.res`
// before the handler runs, which makes Hono build a placeholder Response and then copy it into
// the handler's one, about 60-100 µs of CPU per request on Node (bench/README.md, profiles).

export function corsForBrowsers(options: CorsOptions): MiddlewareHandler<AppEnv> {
  const handler = cors(options);
  return (c, next) => {
    if (c.req.method === 'OPTIONS' || c.req.header('origin') !== undefined) return handler(c, next);
    // Set before the handler: it then lands in the headers Hono prepares, with no copy.
    c.header('Vary', 'Origin');
    return next();
  };
}
