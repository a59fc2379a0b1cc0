import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../app-env.ts';

export interface BrowserCorsOptions {
  /** Exact origins: never `*`, never a reflected or `null` origin. */
  allowedOrigins: readonly string[];
  allowMethods: string[];
  exposeHeaders: string[];
  maxAge: number;
  /** Told of every request from another origin that is refused (not of the gateway's own pages). */
  onRefused?: (origin: string) => void;
}

// Hono's CORS middleware, run only for an allowed Origin. allowHeaders is left out on purpose:
// hono/cors then grants the headers the preflight names in Access-Control-Request-Headers, which
// is what browser SDKs need (the openai SDK's x-stainless-*, the Anthropic SDK's anthropic-*, our
// X-Gateway-Cache-TTL) without a list to keep in step with every SDK release.
//
// Any other request gets only `Vary: Origin`, so a cache never hands its answer to a browser:
// - A refused origin: hono/cors, asked about it, still sets Allow-Credentials and Expose-Headers
//   and, on a preflight, Allow-Methods, Allow-Headers and Max-Age. None of it may reach a
//   refused origin, so it never sees hono/cors; its preflight is answered 204 with no grant,
//   and the browser refuses the request itself.
// - No Origin (an SDK, curl, another server): nothing CORS is about. Skipping hono/cors also
//   saves its cost: it writes its headers onto `c.res` before the handler runs, which makes Hono
//   build a placeholder Response and then copy it into the handler's one, about 60-100 µs of CPU
//   per request on Node (bench/README.md, profiles).

export function corsForBrowsers(options: BrowserCorsOptions): MiddlewareHandler<AppEnv> {
  const allowed = new Set(options.allowedOrigins);
  const handler = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: options.allowMethods,
    exposeHeaders: options.exposeHeaders,
    credentials: true,
    maxAge: options.maxAge,
  });
  return (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && allowed.has(origin)) return handler(c, next);
    // The console's own requests carry its origin too, and need no grant.
    if (origin !== undefined && options.onRefused && origin !== new URL(c.req.url).origin) options.onRefused(origin);
    // Set before the handler: it then lands in the headers Hono prepares, with no copy.
    c.header('Vary', 'Origin');
    if (c.req.method === 'OPTIONS') return Promise.resolve(c.body(null, 204));
    return next();
  };
}
