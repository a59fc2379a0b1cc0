import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ADMIN_TOKEN, CLIENT_TOKEN, ENCRYPTION_KEY } from '../support/target.ts';
import { cellTexts, connectWith, focusedName, liveRegions, navigation, startConsoleBrowser, storedState, watchRefusals, type ConsoleBrowser } from './support/console-page.ts';
import { startWranglerDev, type WranglerDev } from './support/wrangler-dev.ts';

// The console on the Worker, under `wrangler dev`: the page comes from the static assets, the API
// from the Worker behind them (run_worker_first = ["/api/*"]), each view's hash route works there,
// a provider makes the round trip through both (a mistake announced first), and an access key
// sees only its own views.

const KEY = 'sk-CANARY-worker-console-24681357';

let worker: WranglerDev;
let browser: ConsoleBrowser;
let page: Page;
const upstreamUrl = inject('upstreamUrl');

beforeAll(async () => {
  worker = await startWranglerDev({
    PROVIDER_ENCRYPTION_KEY: ENCRYPTION_KEY,
    API_AUTH_TOKEN: CLIENT_TOKEN,
    ADMIN_TOKEN,
    // The fake upstream is on 127.0.0.1.
    ALLOW_PRIVATE_UPSTREAMS: 'true',
    RATE_LIMIT_MAX_REQUESTS: '100000',
    OUTBOUND_RATE_LIMIT_MAX_REQUESTS: '100000',
    LOG_LEVEL: 'warn',
  });
  browser = await startConsoleBrowser();
  page = await browser.open(worker.origin);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await worker?.close();
});

const adminFetch = (path: string) => fetch(`${worker.origin}/api/v1${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

it('serves the page from the assets and leaves /api/* and unknown paths to the Worker', async () => {
  const html = await fetch(`${worker.origin}/`);
  expect([html.status, html.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  // The console's security headers, from the assets' _headers file.
  expect([html.headers.get('content-security-policy'), html.headers.get('x-content-type-options'), html.headers.get('referrer-policy')]).toEqual([
    "default-src 'self'; connect-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'nosniff',
    'no-referrer',
  ]);
  expect(await html.text()).toContain('<script type="module" src="console.js"></script>');
  // Both answers are the Worker's (the asset router's own 404 has no body of this shape).
  const route = await fetch(`${worker.origin}/api/v1/no-such-route`);
  expect([route.status, await route.json()]).toEqual([401, { error: { code: 'UNAUTHORIZED', message: 'Missing bearer token' } }]);
  const file = await fetch(`${worker.origin}/no-such-file.js`);
  expect([file.status, await file.json()]).toEqual([404, { error: { code: 'NOT_FOUND', message: 'Route GET /no-such-file.js not found' } }]);
});

it('connects with the admin token and makes a provider round trip: a mistake announced, then add, list with its hint, check, delete', async () => {
  await connectWith(page, ADMIN_TOKEN);
  const refused = watchRefusals(page);
  expect(await navigation(page)).toEqual({ views: ['Providers', 'Playground', 'Keys', 'Routes', 'Usage', 'Connect'], current: 'Providers' });
  const providers = page.getByRole('region', { name: 'Providers', exact: true });
  await providers.getByText('No providers yet: add one, or import a JSON array of them.').waitFor();
  expect((await storedState(page)).session).toEqual({ 'llm-gateway.console.token': ADMIN_TOKEN });

  await providers.getByRole('button', { name: 'Add provider', exact: true }).click();
  const form = page.getByRole('dialog', { name: 'Add provider', exact: true });
  await form.getByLabel('Preset', { exact: true }).selectOption({ label: 'OpenAI' });
  expect([await form.getByLabel('Name', { exact: true }).inputValue(), await form.getByLabel('Base URL', { exact: true }).inputValue()]).toEqual(['openai', 'https://api.openai.com/v1']);
  await form.getByLabel('Name', { exact: true }).fill('worker/openai');
  await form.getByLabel('Base URL', { exact: true }).fill(`${upstreamUrl}/openai/v1`);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => focusedName(page)).toBe('Name');
  expect(await liveRegions(page)).toEqual([
    {
      role: 'alert',
      live: 'assertive',
      text: '2 fields need a change: Name: A name cannot contain "/": in a model name the "/" separates the provider from the model. API key: Paste the provider\'s API key. It is stored encrypted and never shown again.',
    },
  ]);
  await form.getByLabel('Name', { exact: true }).fill('worker-openai');
  await form.getByLabel('API key', { exact: true }).fill(KEY);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await form.waitFor({ state: 'detached' });

  const row = providers.getByRole('row').filter({ has: page.getByRole('cell', { name: 'worker-openai', exact: true }) });
  expect((await cellTexts(row)).slice(0, 4)).toEqual(['worker-openai', `${upstreamUrl}/openai/v1`, 'openai', '…1357']);
  const [stored] = (await (await adminFetch('/providers')).json()).data;
  expect(stored).toMatchObject({ name: 'worker-openai', apiKeyHint: '…1357' });
  expect(await page.content()).not.toContain(KEY);

  await row.getByRole('button', { name: 'Check', exact: true }).click();
  await expect.poll(() => row.getByRole('status').textContent()).toMatch(/^Reachable, key accepted \(\d+ ms, circuit closed\)$/);

  await row.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete worker-openai?', exact: true });
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await row.waitFor({ state: 'detached' });
  expect((await adminFetch(`/providers/${stored.id}`)).status).toBe(404);
  expect(refused).toEqual([]);
});

it('opens a view by its URL from the static assets, and shows an access key only its own views', async () => {
  const created = await fetch(`${worker.origin}/api/v1/keys`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'worker-key' }) });
  const { key } = await created.json();
  await page.goto(`${worker.origin}/#/keys`);
  await page.getByRole('region', { name: 'Access keys', exact: true }).getByRole('cell', { name: 'worker-key', exact: true }).waitFor();
  expect((await navigation(page)).current).toBe('Keys');

  const tab = await browser.open(worker.origin);
  try {
    await connectWith(tab, key);
    expect(await navigation(tab)).toEqual({ views: ['Playground', 'Keys', 'Usage', 'Connect'], current: 'Playground' });
    await tab.goto(`${worker.origin}/#/providers`);
    await tab.getByRole('heading', { name: 'Playground', exact: true }).waitFor();
    await expect.poll(() => new URL(tab.url()).hash).toBe('#/playground');
    await tab.getByRole('link', { name: 'Keys', exact: true }).click();
    await tab.getByRole('region', { name: 'Your key', exact: true }).getByText('worker-key', { exact: true }).waitFor();
  } finally {
    await tab.close();
  }
});

it('sent requests to the Worker\'s origin only', () => {
  expect(browser.requestedOrigins()).toEqual([worker.origin]);
});
