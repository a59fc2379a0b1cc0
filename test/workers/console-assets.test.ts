import { env } from 'cloudflare:test';
import { expect, it } from 'vitest';

// wrangler.toml's [assets] as workerd serves them: the console's files (dist/public, which
// `npm test` builds first) behind the ASSETS binding, and nothing else. SELF reaches the Worker
// itself, not the asset router in front of it; that routing (/api/* to the Worker, the rest to the
// files first) is exercised under `wrangler dev` by test/browser/console-worker.test.ts.

const origin = 'http://gateway.test';

const securityHeaders = {
  'content-security-policy': "default-src 'self'; connect-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
const securityHeadersOf = (response: Response) => Object.fromEntries(Object.keys(securityHeaders).map((name) => [name, response.headers.get(name)]));

it('serves the console\'s page and its script with the Content-Security-Policy (no framing), nosniff and no-referrer headers', async () => {
  const page = await env.ASSETS.fetch(`${origin}/`);
  expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  expect(securityHeadersOf(page)).toEqual(securityHeaders);
  expect(await page.text()).toContain('<script type="module" src="console.js"></script>');
  const script = await env.ASSETS.fetch(`${origin}/console.js`);
  expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  expect(securityHeadersOf(script)).toEqual(securityHeaders);
  await script.body?.cancel();
});

it('does not serve the _headers file itself', async () => {
  const file = await env.ASSETS.fetch(`${origin}/_headers`);
  expect(file.status).toBe(404);
  await file.body?.cancel();
});

it('has nothing else: an unknown file is a 404 (not_found_handling = "none"), not the page', async () => {
  const missing = await env.ASSETS.fetch(`${origin}/no-such-file.js`);
  expect(missing.status).toBe(404);
  expect(await missing.text()).not.toContain('<!DOCTYPE html>');
});
