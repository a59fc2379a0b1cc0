import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';

// The console's built files (npm run build: dist/public/) at /, served by @hono/node-server's
// serve-static. A file that is not there falls through to the app's 404; nothing under /api/ is
// ever looked up on disk, so the console can never shadow the API.

const apiPath = /^\/api(?:\/|$)/;

export function serveConsole(app: Hono<AppEnv>, folder: string): void {
  const files = serveStatic<AppEnv>({
    root: folder,
    // Plain file names: a browser must ask again after an upgrade rather than keep an old console.
    onFound: (_path, c) => c.header('Cache-Control', 'no-cache'),
  });
  app.on(['GET', 'HEAD'], '/*', (c, next) => (apiPath.test(c.req.path) ? next() : files(c, next)));
}
