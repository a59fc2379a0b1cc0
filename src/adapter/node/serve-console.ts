import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';

// The console's built files (npm run build: dist/public/) at /, served by @hono/node-server's
// serve-static. A file that is not there falls through to the app's 404; nothing under /api/ is
// ever looked up on disk, so the console can never shadow the API.

const apiPath = /^\/api(?:\/|$)/;

export function serveConsole(app: Hono<AppEnv>, folder: string): void {
  const files = serveStatic<AppEnv>({ root: folder });
  app.on(['GET', 'HEAD'], '/*', (c, next) => {
    if (apiPath.test(c.req.path)) return next();
    // Plain file names: a browser must ask again after an upgrade rather than keep an old console.
    c.header('Cache-Control', 'no-cache');
    return files(c, next);
  });
}
