import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { BUNDLE_ENTRIES, type BundleName } from './bundles.ts';

// The origin the test page comes from: a real HTTP server on its own loopback port, so the
// browser's requests to the gateway are cross-origin and its CORS preflights reach the gateway
// itself (Playwright's page.route() would answer them on its own).

export interface PageServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  close(): Promise<void>;
}

const bundleNames: readonly string[] = Object.keys(BUNDLE_ENTRIES);

/** The test page; it loads only the bundles its address names (`/?bundles=openai,anthropic`): each costs parse time. */
function pageLoading(bundles: string[]): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>gateway browser test</title><link rel="icon" href="data:,"></head>
<body>
${bundles.map((name) => `<script src="/bundles/${name}.js"></script>`).join('\n')}
</body>
</html>
`;
}

/** The address of the page that loads these bundles. */
export function pageUrl(origin: string, bundles: readonly BundleName[]): string {
  return `${origin}/?bundles=${bundles.join(',')}`;
}

export async function startPageServer(bundleFolder: string): Promise<PageServer> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path === '/') {
      const bundles = (url.searchParams.get('bundles') ?? '').split(',').filter((name) => bundleNames.includes(name));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageLoading(bundles));
      return;
    }
    const bundle = /^\/bundles\/([\w-]+)\.js$/.exec(path)?.[1];
    if (bundle !== undefined && bundleNames.includes(bundle)) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(await readFile(join(bundleFolder, `${bundle}.js`)));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
