import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { ADMIN_TOKEN, adminHeaders, jsonInit } from '../support/target.ts';
import { connectWith, descriptionOf, focusedName, startConsoleBrowser, type ConsoleBrowser } from './support/console-page.ts';

// The provider form's Pricing field in Chromium against the real Node server, as the admin: add a
// provider with prices written as the page shows numbers, see exactly those stored, see them again
// on edit and change them, a mistake named by its line (the form's own, then the gateway's), and
// clearing the field removes the prices. The tests share one page and run in order.

const HINT = 'Optional. Dollars per million tokens, one model pattern per line: pattern = input, output[, cached input[, cache write]]. * matches any characters; the longest pattern wins.';

let gateway: NodeTarget;
let browser: ConsoleBrowser;
let page: Page;
let origin: string;
let providerId: string;

beforeAll(async () => {
  gateway = await startTarget();
  origin = new URL(gateway.apiBase).origin;
  browser = await startConsoleBrowser();
  page = await browser.open(origin);
  await connectWith(page, ADMIN_TOKEN);
});
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await gateway?.close();
});

const providers = () => page.getByRole('region', { name: 'Providers', exact: true });
const dialog = (name: string) => page.getByRole('dialog', { name, exact: true });
const button = (scope: Locator, name: string) => scope.getByRole('button', { name, exact: true });
const pricingOf = (form: Locator) => form.getByLabel('Pricing', { exact: true });
const row = (name: string) => providers().getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
const alertLines = async (scope: Locator) => {
  const alert = scope.getByRole('alert');
  return [await alert.locator('p').textContent(), ...(await alert.getByRole('listitem').allTextContents())];
};
const stored = async () => (await (await gateway.fetch(`/providers/${providerId}`, { headers: adminHeaders })).json()) as { pricing?: unknown };

it('adds a provider with prices written as the page shows numbers, and the gateway stores exactly those', async () => {
  await button(providers(), 'Add provider').click();
  const form = dialog('Add provider');
  await form.getByLabel('Name', { exact: true }).fill('priced');
  await form.getByLabel('Base URL', { exact: true }).fill(`${gateway.upstreamUrl}/openai/v1`);
  await form.getByLabel('API key', { exact: true }).fill('sk-CANARY-pricing-00112233');
  expect(await descriptionOf(pricingOf(form))).toEqual([HINT]);
  await pricingOf(form).fill('gpt-4o* = $2.50, $10, $1.25\n\nllama3:8b = 0, 0\nbig-* = $1,250.5, 2,000, 0.3, 3.75');
  await button(form, 'Save').click();
  await form.waitFor({ state: 'detached' });
  await row('priced').waitFor();

  const list = (await (await gateway.fetch('/providers', { headers: adminHeaders })).json()) as { data: Array<{ id: string; name: string }> };
  providerId = list.data.find((provider) => provider.name === 'priced')!.id;
  expect((await stored()).pricing).toEqual({
    'gpt-4o*': { input: 2.5, output: 10, cachedInput: 1.25 },
    'llama3:8b': { input: 0, output: 0 },
    'big-*': { input: 1250.5, output: 2000, cachedInput: 0.3, cacheWrite: 3.75 },
  });
});

it('shows the stored prices on edit, names a mistake by its line, and saves the change', async () => {
  await button(row('priced'), 'Edit').click();
  const form = dialog('Edit priced');
  expect(await pricingOf(form).inputValue()).toBe('gpt-4o* = 2.5, 10, 1.25\nllama3:8b = 0, 0\nbig-* = 1,250.5, 2,000, 0.3, 3.75');

  await pricingOf(form).fill('gpt-4o* = 2.5, 10, 1.25\nllama3:8b = free, 0');
  await button(form, 'Save').click();
  const mistake = 'Line 2: "free" is not a price; write dollars, such as 2.50 or $1,250';
  await expect.poll(async () => (await descriptionOf(pricingOf(form))).at(-1)).toBe(mistake);
  expect(await pricingOf(form).getAttribute('aria-invalid')).toBe('true');
  expect(await alertLines(form)).toEqual(['One field needs a change:', `Pricing: ${mistake}`]);
  await expect.poll(() => focusedName(page)).toBe('Pricing');

  // What only the gateway refuses (a pattern with more stars than it allows) comes back beside the field.
  const starry = '*a*b*c*d*e*f*g*h*';
  const refusal = (await (await gateway.fetch(`/providers/${providerId}`, jsonInit('PUT', { pricing: { [starry]: { input: 1, output: 2 } } }))).json()) as { error: { message: string; details: { field: string } } };
  expect(refusal.error.details.field.startsWith('pricing')).toBe(true);
  await pricingOf(form).fill(`${starry} = 1, 2`);
  await button(form, 'Save').click();
  await expect.poll(async () => (await descriptionOf(pricingOf(form))).at(-1)).toBe(refusal.error.message);
  expect(await alertLines(form)).toEqual(['One field needs a change:', `Pricing: ${refusal.error.message}`]);

  await pricingOf(form).fill('gpt-4o* = 3, 12\nclaude-* = $3, $15, $0.30, $3.75');
  await button(form, 'Save').click();
  await form.waitFor({ state: 'detached' });
  expect((await stored()).pricing).toEqual({ 'gpt-4o*': { input: 3, output: 12 }, 'claude-*': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 } });
});

it('removes the prices when the field is cleared', async () => {
  await button(row('priced'), 'Edit').click();
  const form = dialog('Edit priced');
  expect(await pricingOf(form).inputValue()).toBe('gpt-4o* = 3, 12\nclaude-* = 3, 15, 0.3, 3.75');
  await pricingOf(form).fill('');
  await button(form, 'Save').click();
  await form.waitFor({ state: 'detached' });
  const provider = await stored();
  expect('pricing' in provider).toBe(false);

  await button(row('priced'), 'Edit').click();
  expect(await pricingOf(dialog('Edit priced')).inputValue()).toBe('');
  await button(dialog('Edit priced'), 'Cancel').click();
  expect(browser.requestedOrigins()).toEqual([origin]);
});
