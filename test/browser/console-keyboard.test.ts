import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { ADMIN_TOKEN, adminHeaders } from '../support/target.ts';
import { descriptionOf, focusedName, liveRegions, startConsoleBrowser, type ConsoleBrowser } from './support/console-page.ts';

// The console with the keyboard alone, and what a screen reader is told: connect, add a provider
// with a mistake, hear the mistake, fix it, save. Chromium against the real Node server; what the
// page announces is read back from Chromium's accessibility tree (its live regions and the focused
// field's description), not from the DOM.

let gateway: NodeTarget;
let browser: ConsoleBrowser;
let page: Page;

beforeAll(async () => {
  gateway = await startTarget();
  browser = await startConsoleBrowser();
  page = await browser.open(new URL(gateway.apiBase).origin);
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

/** Presses Tab until the element with this name has the focus (at most `limit` times). */
async function tabTo(name: string, limit = 40): Promise<void> {
  for (let count = 0; count < limit; count++) {
    if ((await focusedName(page)).trim() === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${name} never got the focus; it is on ${await focusedName(page)}`);
}

/** The focused element's accessible name and description, as Chromium's accessibility tree has them. */
async function focusedAccessibly(): Promise<{ role: string; name: string; description: string; invalid: boolean }> {
  const session = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await session.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value: string }; name?: { value: string }; description?: { value: string }; properties?: Array<{ name: string; value: { value: unknown } }> }> };
    const focused = nodes.find((node) => node.properties?.some((property) => property.name === 'focused' && property.value.value === true) && node.role?.value !== 'RootWebArea');
    return {
      role: String(focused?.role?.value ?? ''),
      name: String(focused?.name?.value ?? ''),
      description: String(focused?.description?.value ?? ''),
      invalid: focused?.properties?.some((property) => property.name === 'invalid' && property.value.value === 'true') ?? false,
    };
  } finally {
    await session.detach();
  }
}

it('connects with the keyboard alone', async () => {
  await page.getByLabel('Access token', { exact: true }).waitFor();
  await tabTo('Access token');
  await page.keyboard.type(ADMIN_TOKEN);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
});

it('opens "Add provider" and closes it with Escape, the focus going back where it was', async () => {
  await tabTo('Add provider');
  await page.keyboard.press('Enter');
  const form = page.getByRole('dialog', { name: 'Add provider', exact: true });
  await form.waitFor();
  expect(await focusedName(page)).toBe('Preset');
  await page.keyboard.press('Escape');
  await form.waitFor({ state: 'detached' });
  await expect.poll(() => focusedName(page)).toBe('Add provider');
});

it('adds a provider with a mistake, announces it, and saves once it is fixed: all from the keyboard', async () => {
  await page.keyboard.press('Enter');
  const form = page.getByRole('dialog', { name: 'Add provider', exact: true });
  await form.waitFor();
  // A preset chosen with the arrow keys fills the base URL and protocol; the base URL is then
  // pointed at the fake upstream, and the name gets a "/" it may not have.
  expect(await focusedName(page)).toBe('Preset');
  const presets = await form.getByLabel('Preset', { exact: true }).locator('option').allTextContents();
  for (let index = 0; index < presets.indexOf('Anthropic'); index++) await page.keyboard.press('ArrowDown');
  expect(await form.getByLabel('Base URL', { exact: true }).inputValue()).toBe('https://api.anthropic.com');
  expect(await form.getByLabel('Protocol', { exact: true }).inputValue()).toBe('anthropic');
  await page.keyboard.press('Tab');
  expect(await focusedName(page)).toBe('Name');
  await page.keyboard.press('End');
  await page.keyboard.type('/keyboard');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(`${gateway.upstreamUrl}/anthropic`);
  await tabTo('API key');
  await page.keyboard.type('sk-CANARY-keyboard-12345678');
  await tabTo('Save');
  await page.keyboard.press('Enter');

  const message = 'A name cannot contain "/": in a model name the "/" separates the provider from the model.';
  await expect.poll(() => focusedName(page)).toBe('Name');
  // What a screen reader says: the alert as it appears, then the field the focus moved to, with its error.
  await expect.poll(() => liveRegions(page)).toEqual([{ role: 'alert', live: 'assertive', text: `One field needs a change: Name: ${message}` }]);
  expect(await focusedAccessibly()).toEqual({ role: 'textbox', name: 'Name', description: `Used in model names: <name>/<model>. ${message}`, invalid: true });

  await page.keyboard.press('Control+A');
  await page.keyboard.type('keyboard-only');
  await tabTo('Save');
  await page.keyboard.press('Enter');
  await form.waitFor({ state: 'detached' });
  await expect.poll(() => focusedName(page)).toBe('Add provider');
  const row = page.getByRole('region', { name: 'Providers', exact: true }).getByRole('row').filter({ has: page.getByRole('cell', { name: 'keyboard-only', exact: true }) });
  expect((await row.getByRole('cell').allTextContents()).slice(0, 4)).toEqual(['keyboard-only', `${gateway.upstreamUrl}/anthropic`, 'anthropic', '…5678']);
  const stored = (await (await gateway.fetch('/providers', { headers: adminHeaders })).json()).data;
  expect(stored).toEqual([expect.objectContaining({ name: 'keyboard-only', baseUrl: `${gateway.upstreamUrl}/anthropic`, routingMethod: 'anthropic', apiKeyHint: '…5678' })]);
  expect(await liveRegions(page)).toEqual([]);
});

it('announces what the gateway refuses the same way, and moves the focus to it', async () => {
  await page.keyboard.press('Enter');
  const form = page.getByRole('dialog', { name: 'Add provider', exact: true });
  await form.waitFor();
  await tabTo('Name');
  await page.keyboard.type('KEYBOARD-ONLY');
  await page.keyboard.press('Tab');
  await page.keyboard.type(`${gateway.upstreamUrl}/openai/v1`);
  await tabTo('Save');
  await page.keyboard.press('Enter');
  const refusal = 'A provider named "KEYBOARD-ONLY" already exists';
  await expect.poll(() => liveRegions(page)).toEqual([{ role: 'alert', live: 'assertive', text: `One field needs a change: Name: ${refusal}` }]);
  expect(await focusedAccessibly()).toMatchObject({ name: 'Name', description: `Used in model names: <name>/<model>. ${refusal}`, invalid: true });
  expect(await descriptionOf(form.getByLabel('Name', { exact: true }))).toEqual(['Used in model names: <name>/<model>.', refusal]);
  await page.keyboard.press('Escape');
  await form.waitFor({ state: 'detached' });
});
