import { env } from 'cloudflare:test';
import { expect, it } from 'vitest';

// wrangler.toml's [assets] as workerd serves them: the console's files (dist/public, which
// `npm test` builds first) behind the ASSETS binding, and nothing else. SELF reaches the Worker
// itself, not the asset router in front of it; that routing (/api/* to the Worker, the rest to the
// files first) is exercised under `wrangler dev` by test/browser/console-worker.test.ts.

const origin = 'http://gateway.test';

it('serves the console\'s page, with its Content-Security-Policy, and its script', async () => {
  const page = await env.ASSETS.fetch(`${origin}/`);
  expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  const html = await page.text();
  expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'; connect-src 'self';`);
  expect(html).toContain('<script type="module" src="console.js"></script>');
  const script = await env.ASSETS.fetch(`${origin}/console.js`);
  expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  await script.body?.cancel();
});

it('has nothing else: an unknown file is a 404 (not_found_handling = "none"), not the page', async () => {
  const missing = await env.ASSETS.fetch(`${origin}/no-such-file.js`);
  expect(missing.status).toBe(404);
  expect(await missing.text()).not.toContain('<!DOCTYPE html>');
});
