import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';

// The built static files (dist/public: the API reference page's Swagger UI, the console) on Node,
// as Workers serves them from its assets binding: at the root, with /api/ left to the app, which
// is what wrangler.toml's run_worker_first = ["/api/*"] says there. Registered after the app's
// routes, so a file can never shadow one.

export function servePublicFiles(root: string): (app: Hono<AppEnv>) => void {
  const files = serveStatic({ root });
  return (app) => {
    app.use('/*', (c, next) => (c.req.path.startsWith('/api/') ? next() : files(c, next)));
  };
}
