import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { ADMIN_TOKEN, adminHeaders, jsonInit } from '../support/target.ts';
import { cellTexts, connectWith, startConsoleBrowser, type ConsoleBrowser } from './support/console-page.ts';

// The console's Routes view in Chromium against the real Node server, as the admin: add a route
// with targets picked from the model list, see it served, edit it, see it in the usage table,
// delete it. The other callers are not offered the view (console-roles.test.ts lists theirs).

let gateway: NodeTarget;
let browser: ConsoleBrowser;
let page: Page;

beforeAll(async () => {
  gateway = await startTarget();
  for (const name of ['key-one', 'key-two']) {
    expect((await gateway.fetch('/providers', jsonInit('POST', { name, baseUrl: `${gateway.upstreamUrl}/openai/v1`, apiKey: `sk-CANARY-routes-${name}-1234`, routingMethod: 'openai' }))).status).toBe(201);
  }
  browser = await startConsoleBrowser();
  page = await browser.open(new URL(gateway.apiBase).origin);
  await connectWith(page, ADMIN_TOKEN);
});
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await gateway?.close();
});

const routes = () => page.getByRole('region', { name: 'Routes', exact: true });
const dialog = () => page.getByRole('dialog');
const row = (name: string) => routes().getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });

it('adds a route with targets picked from the model list, and the gateway serves it', async () => {
  await page.getByRole('link', { name: 'Routes', exact: true }).click();
  await routes().getByText('No routes yet.').waitFor();
  await routes().getByRole('button', { name: 'Add route', exact: true }).click();
  await dialog().getByLabel('Name', { exact: true }).fill('team/gpt');
  await dialog().getByLabel('Target 1 model', { exact: true }).selectOption('key-one/gpt-test');
  await dialog().getByRole('button', { name: 'Add target', exact: true }).click();
  await dialog().getByLabel('Target 2 model', { exact: true }).selectOption('key-two/gpt-test');
  await dialog().getByLabel('Target 2 weight', { exact: true }).fill('3');
  await dialog().getByRole('button', { name: 'Save', exact: true }).click();
  // The form's own check: a slash in the name, said beside the field.
  expect(await dialog().getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  await dialog().getByLabel('Name', { exact: true }).fill('team-gpt');
  await dialog().getByRole('button', { name: 'Save', exact: true }).click();
  await row('team-gpt').waitFor();
  expect(await cellTexts(row('team-gpt'))).toEqual(['team-gpt', 'Weighted', 'key-one/gpt-test × 1key-two/gpt-test × 3', 'EditDelete']);

  const answer = await gateway.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'team-gpt', messages: [{ role: 'user', content: 'Hi' }] }) });
  expect(answer.status).toBe(200);
  expect(['key-one', 'key-two']).toContain(answer.headers.get('x-gateway-provider'));
});

it('edits the strategy and shows a name taken as the gateway says it, beside the field', async () => {
  expect((await gateway.fetch('/routes', jsonInit('POST', { name: 'taken', targets: [{ model: 'key-one/gpt-test' }] }))).status).toBe(201);
  await routes().getByRole('button', { name: 'Refresh', exact: true }).click();
  await row('taken').waitFor();
  await routes().getByRole('button', { name: 'Edit route team-gpt', exact: true }).click();
  await dialog().getByLabel('Strategy', { exact: true }).selectOption('lowest-latency');
  await dialog().getByLabel('Name', { exact: true }).fill('TAKEN');
  await dialog().getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => dialog().locator('.field-error').first().textContent()).toBe('A route named "TAKEN" already exists');
  await dialog().getByLabel('Name', { exact: true }).fill('team-gpt');
  await dialog().getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(async () => (await cellTexts(row('team-gpt')))[1]).toBe('Lowest latency');
  const stored = (await (await gateway.fetch('/routes', { headers: adminHeaders })).json()).data.find((route: { name: string }) => route.name === 'team-gpt');
  expect(stored.strategy).toBe('lowest-latency');
});

it('shows the route in the usage table', async () => {
  await page.getByRole('link', { name: 'Usage', exact: true }).click();
  const usage = page.getByRole('region', { name: 'Usage', exact: true });
  await usage.getByRole('radio', { name: 'Route', exact: true }).check();
  const routeRow = usage.getByRole('table').first().getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'team-gpt', exact: true }) });
  await routeRow.waitFor();
  // Requests, errors, prompt, of which cached, completion, total, cost (the fake provider has no price).
  expect(await routeRow.getByRole('cell').allTextContents()).toEqual(['1', '0', '19', '0', '6', '25', '$0.00 (1 unpriced)']);
});

it('deletes a route after asking', async () => {
  await page.getByRole('link', { name: 'Routes', exact: true }).click();
  await row('taken').waitFor();
  await routes().getByRole('button', { name: 'Delete route taken', exact: true }).click();
  await dialog().getByRole('button', { name: 'Delete', exact: true }).click();
  // While the dialog is open the page behind it is inert (and out of the accessibility tree).
  await dialog().waitFor({ state: 'detached' });
  await row('team-gpt').waitFor();
  expect(await row('taken').count()).toBe(0);
  expect((await (await gateway.fetch('/routes', { headers: adminHeaders })).json()).data.map((route: { name: string }) => route.name)).toEqual(['team-gpt']);
});
