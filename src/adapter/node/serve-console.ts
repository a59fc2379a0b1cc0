import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import pageHeaders from '../../console/page-headers.json' with { type: 'json' };

// The console's built files (npm run build: dist/public/) at /, served by @hono/node-server's
// serve-static. A file that is not there falls through to the app's 404; nothing under /api/ is
// ever looked up on disk, so the console can never shadow the API. Every file goes with the
// console's security headers (page-headers.json), the ones the Workers assets send from the
// _headers file the build writes; that file is for Cloudflare, not served here.

const apiPath = /^\/api(?:\/|$)/;
const headersFile = '/_headers';

export function serveConsole(app: Hono<AppEnv>, folder: string): void {
  const files = serveStatic<AppEnv>({ root: folder });
  app.on(['GET', 'HEAD'], '/*', (c, next) => {
    if (apiPath.test(c.req.path) || c.req.path === headersFile) return next();
    // Plain file names: a browser must ask again after an upgrade rather than keep an old console.
    c.header('Cache-Control', 'no-cache');
    for (const [name, value] of Object.entries(pageHeaders)) c.header(name, value);
    return files(c, next);
  });
}
