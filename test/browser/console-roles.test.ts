import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenPieces } from '../support/fake-upstream/scenarios.ts';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { CLIENT_TOKEN, jsonInit } from '../support/target.ts';
import { cellTexts, connectWith, navigation, startConsoleBrowser, watchRefusals, type ConsoleBrowser } from './support/console-page.ts';

// The console as the two callers that are not the admin, in Chromium against the real Node server
// (with an ADMIN_TOKEN, so API_AUTH_TOKEN is the client token): each is shown only what it may use,
// and so never meets a refusal. The admin's console is console.test.ts.

let gateway: NodeTarget;
let browser: ConsoleBrowser;
let teamProvider: { id: string; name: string };
let otherProvider: { id: string; name: string };
let accessKey: { id: string; key: string };

beforeAll(async () => {
  gateway = await startTarget();
  const create = async (name: string) => (await gateway.fetch('/providers', jsonInit('POST', { name, baseUrl: `${gateway.upstreamUrl}/openai/v1`, apiKey: `sk-CANARY-roles-${name}-1234`, routingMethod: 'openai' }))).json();
  [teamProvider, otherProvider] = await Promise.all([create('team-openai'), create('other-openai')]);
  const created = await gateway.fetch(
    '/keys',
    jsonInit('POST', { name: 'alice', providers: ['team-openai'], models: ['team-openai/gpt-*'], rateLimit: { requests: 60, windowMs: 60_000 }, budget: { tokens: 1_000_000, period: 'month' } }),
  );
  accessKey = await created.json();
  browser = await startConsoleBrowser();
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

const origin = () => new URL(gateway.apiBase).origin;
const button = (page: Page, scope: string, name: string) => page.getByRole('region', { name: scope, exact: true }).getByRole('button', { name, exact: true });

describe('the client token', () => {
  let page: Page;
  let refused: string[];

  beforeAll(async () => {
    page = await browser.open(origin());
    // Before it connects, the page's question without a token is refused: that is how it learns to ask for one.
    await connectWith(page, CLIENT_TOKEN);
    refused = watchRefusals(page);
  });
  afterAll(() => page.close());

  it('is told who it is, and offered providers, the playground and Connect only', async () => {
    expect(await page.locator('.caller').textContent()).toBe('Connected as Client token');
    expect(await navigation(page)).toEqual({ views: ['Providers', 'Playground', 'Connect'], current: 'Providers' });
    expect(new URL(page.url()).hash).toBe('#/providers');
  });

  it('lists providers with Check and Models, and nothing that changes them', async () => {
    const providers = page.getByRole('region', { name: 'Providers', exact: true });
    const row = providers.getByRole('row').filter({ has: page.getByRole('cell', { name: 'team-openai', exact: true }) });
    await row.waitFor();
    expect(await providers.getByRole('row').count()).toBe(3);
    expect(await row.getByRole('button').allTextContents()).toEqual(['Check', 'Models']);
    expect(await providers.getByRole('button').allTextContents()).toEqual(['Refresh', 'Check', 'Models', 'Check', 'Models']);
    await row.getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => row.getByRole('status').textContent()).toMatch(/^Reachable, key accepted \(\d+ ms, circuit closed\)$/);
    await row.getByRole('button', { name: 'Models', exact: true }).click();
    await expect.poll(() => row.getByRole('listitem').count()).toBeGreaterThan(0);
    expect((await cellTexts(row)).slice(0, 4)).toEqual(['team-openai', `${gateway.upstreamUrl}/openai/v1`, 'openai', '…1234']);
  });

  it('lands on its first view when a URL names one it may not use', async () => {
    for (const hidden of ['keys', 'usage']) {
      await page.goto(`${origin()}/#/${hidden}`);
      await page.getByRole('heading', { name: 'Providers', exact: true }).waitFor();
      await expect.poll(() => new URL(page.url()).hash).toBe('#/providers');
      expect(await page.getByRole('heading', { name: 'Access keys' }).count()).toBe(0);
    }
  });

  it('chats in the playground with every provider\'s models', async () => {
    await page.getByRole('link', { name: 'Playground', exact: true }).click();
    const model = page.getByRole('region', { name: 'Playground', exact: true }).getByLabel('Model', { exact: true });
    await expect.poll(() => model.locator('option').count()).toBeGreaterThan(0);
    const options = await model.locator('option').allTextContents();
    expect(options.filter((id) => id.startsWith('team-openai/')).length).toBe(options.filter((id) => id.startsWith('other-openai/')).length);
    await model.selectOption('team-openai/gpt-test');
    await page.getByLabel('Message', { exact: true }).fill('echo: as the client token');
    await button(page, 'Playground', 'Send').click();
    await expect.poll(() => page.getByRole('region', { name: 'Answer' }).textContent()).toBe('echo: as the client token');
  });

  it('met no refusal from the gateway once connected', () => {
    expect(refused).toEqual([]);
  });
});

describe('an access key', () => {
  let page: Page;
  let refused: string[];

  beforeAll(async () => {
    page = await browser.open(origin());
    await connectWith(page, accessKey.key);
    refused = watchRefusals(page);
  });
  afterAll(() => page.close());

  it('is told which key it is, and offered the playground, its key, its usage and Connect', async () => {
    expect(await page.locator('.caller').textContent()).toBe('Connected as Access key alice');
    expect(await navigation(page)).toEqual({ views: ['Playground', 'Keys', 'Usage', 'Connect'], current: 'Playground' });
    await page.goto(`${origin()}/#/providers`);
    await page.getByRole('heading', { name: 'Playground', exact: true }).waitFor();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/playground');
  });

  it('chooses among the models its scope allows, and chats', async () => {
    const model = page.getByRole('region', { name: 'Playground', exact: true }).getByLabel('Model', { exact: true });
    const allowed = (await (await gateway.fetch('/models', { headers: { authorization: `Bearer ${accessKey.key}` } })).json()).data.map((entry: { id: string }) => entry.id);
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.every((id: string) => id.startsWith('team-openai/gpt-'))).toBe(true);
    await expect.poll(() => model.locator('option').allTextContents()).toEqual(allowed);
    await model.selectOption('team-openai/gpt-test');
    await page.getByLabel('Message', { exact: true }).fill('echo: as an access key');
    await button(page, 'Playground', 'Send').click();
    await expect.poll(() => page.getByRole('region', { name: 'Answer' }).textContent()).toBe('echo: as an access key');
  });

  it('sees its own key: scope by provider name, limits, and the budget used this month', async () => {
    await page.getByRole('link', { name: 'Keys', exact: true }).click();
    const view = page.getByRole('region', { name: 'Your key', exact: true });
    await view.getByRole('definition').first().waitFor();
    const session = await (await gateway.fetch('/session', { headers: { authorization: `Bearer ${accessKey.key}` } })).json();
    const spent = new Intl.NumberFormat('en-US').format(session.budget.spent.tokens);
    // The fake upstream counts 19 prompt tokens and one completion token per piece of the echo.
    expect(session.budget.spent.tokens).toBe(19 + tokenPieces('echo: as an access key').length);
    await expect.poll(() => view.getByRole('definition').allTextContents()).toEqual([
      'alice',
      'providers team-openai; models team-openai/gpt-*',
      '60 requests per minute',
      `${spent} of 1,000,000 tokens used this month (UTC)`,
      'never',
    ]);
    const meter = view.getByRole('meter');
    expect([await meter.getAttribute('value'), await meter.getAttribute('max'), await meter.getAttribute('aria-label')]).toEqual([String(session.budget.spent.tokens), '1000000', `${spent} of 1,000,000 tokens used this month (UTC)`]);
    expect(await view.getByRole('button').count()).toBe(0);
    expect(await page.content()).not.toContain(otherProvider.id);
  });

  it('sees its own usage by provider, model and route, by name, and cannot break it down by key', async () => {
    await page.getByRole('link', { name: 'Usage', exact: true }).click();
    const usage = page.getByRole('region', { name: 'Your usage', exact: true });
    const table = usage.getByRole('table').first();
    await table.waitFor();
    expect(await usage.getByRole('group', { name: 'Break down by' }).getByRole('radio').evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).labels![0]!.textContent))).toEqual(['Provider', 'Model', 'Route']);
    const body = async () => Promise.all((await table.getByRole('rowgroup').nth(1).getByRole('row').all()).map((row) => row.getByRole('rowheader').textContent()));
    await expect.poll(body).toEqual(['team-openai']);
    await usage.getByRole('radio', { name: 'Model' }).check();
    await expect.poll(body).toEqual(['team-openai/gpt-test']);
    expect(await page.content()).not.toContain(teamProvider.id);
  });

  it('met no refusal from the gateway once connected', () => {
    expect(refused).toEqual([]);
  });
});
