import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClockTarget, type NodeTarget } from '../support/node-target.ts';
import { ADMIN_TOKEN, adminHeaders, jsonInit } from '../support/target.ts';
import { cellTexts, connectWith, startConsoleBrowser, type ConsoleBrowser } from './support/console-page.ts';

// What requests cost, as the console's Usage view shows it (contract v1.2, "Cost": per day, per
// key and per model), in Chromium against the real Node server. The requests are the fake
// upstream's usage-<name> models, whose usage figures are transcribed from the providers'
// documentation (test/behaviour/cost.test.ts prices each one); the rates are those the providers
// list for gpt-4o and Claude Sonnet 4.5. Every dollar figure below is worked out by hand from them:
//   usage-openai-cached:         86 × 2.5 + 1,920 cached × 1.25 + 300 × 10 per million  = $0.005615
//   usage-anthropic-cache-write: 21 × 3 + 188,086 written × 3.75 + 393 × 15 per million  = $0.7112805
//   usage-anthropic-cache-read:  21 × 3 + 188,086 read × 0.3 + 393 × 15 per million      = $0.0623838
// and a model with no price, counted as unpriced, never as free.

const PRICING = {
  'usage-openai-*': { input: 2.5, output: 10, cachedInput: 1.25 },
  'usage-anthropic-*': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
};
const PROVIDER = 'priced';
const DAY_MS = 24 * 60 * 60 * 1000;

let clockOffset = 0;
let gateway: NodeTarget;
let browser: ConsoleBrowser;
let teamB: { id: string; key: string };

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

beforeAll(async () => {
  gateway = await startClockTarget(() => Date.now() + clockOffset);
  const created = await gateway.fetch('/providers', jsonInit('POST', { name: PROVIDER, baseUrl: `${gateway.upstreamUrl}/openai/v1`, apiKey: 'sk-CANARY-cost-console-1234', routingMethod: 'openai', pricing: PRICING }));
  expect(created.status).toBe(201);
  const newKey = async (name: string) => (await gateway.fetch('/keys', jsonInit('POST', { name }))).json();
  const teamA = await newKey('team-a');
  teamB = await newKey('team-b');
  const chat = async (key: { key: string }, model: string, daysBack: number) => {
    clockOffset = -daysBack * DAY_MS;
    const response = await gateway.fetch('/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: `${PROVIDER}/${model}`, messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(response.status).toBe(200);
    await response.text();
  };
  await chat(teamA, 'usage-openai-cached', 3);
  await chat(teamB, 'usage-anthropic-cache-write', 1);
  await chat(teamB, 'usage-anthropic-cache-read', 0);
  await chat(teamA, 'unpriced', 0);
  clockOffset = 0;
  browser = await startConsoleBrowser();
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

const usageRegion = (page: Page, name = 'Usage') => page.getByRole('region', { name, exact: true });
const period = () => `${daysAgo(29)} to ${today()} (UTC)`;
/** The figures list of the Usage view, term → value. */
const totalsOf = async (region: Locator) => {
  const terms = await region.getByRole('term').allTextContents();
  const values = await region.getByRole('definition').allTextContents();
  return Object.fromEntries(terms.map((term, index) => [term, values[index]]));
};
/** A table's body rows as first column → its Cost cell (the last column). */
const costsOf = async (table: Locator) => {
  const rows = await table.getByRole('rowgroup').nth(1).getByRole('row').all();
  return Object.fromEntries(await Promise.all(rows.map(async (row) => [await row.getByRole('rowheader').textContent(), (await cellTexts(row)).at(-1)])));
};

describe('the admin\'s Usage view', () => {
  let page: Page;
  let usage: Locator;

  beforeAll(async () => {
    page = await browser.open(new URL(gateway.apiBase).origin);
    await connectWith(page, ADMIN_TOKEN);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Usage', exact: true }).click();
    usage = usageRegion(page);
  });
  afterAll(() => page.close());

  it('totals the cost to the cent, with the cache figures and the one request with no price', async () => {
    await usage.getByRole('table', { name: `Usage by provider, ${period()}` }).waitFor();
    const [total] = (await (await gateway.fetch('/usage', { headers: adminHeaders })).json()).data;
    const format = (value: number) => new Intl.NumberFormat('en-US').format(value);
    expect(await totalsOf(usage)).toEqual({
      Requests: '4',
      Errors: '0',
      'Prompt tokens': format(total.promptTokens),
      'Cached prompt tokens': '190,006',
      'Cache write tokens': '188,086',
      'Completion tokens': format(total.completionTokens),
      'Total tokens': format(total.promptTokens + total.completionTokens),
      // 0.005615 + 0.7112805 + 0.0623838
      Cost: '$0.7793',
      'Unpriced requests': '1',
    });
    const table = usage.getByRole('table', { name: `Usage by provider, ${period()}` });
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Provider', 'Requests', 'Errors', 'Prompt tokens', 'Cached prompt tokens', 'Completion tokens', 'Total tokens', 'Cost']);
    expect(await costsOf(table)).toEqual({ [PROVIDER]: '$0.7793 (1 unpriced)' });
  });

  it('shows what each model cost, and what each key cost', async () => {
    await usage.getByRole('radio', { name: 'Model' }).check();
    const byModel = usage.getByRole('table', { name: `Usage by model, ${period()}` });
    await byModel.waitFor();
    expect(await costsOf(byModel)).toEqual({
      [`${PROVIDER}/usage-anthropic-cache-write`]: '$0.7113',
      [`${PROVIDER}/usage-anthropic-cache-read`]: '$0.0624',
      [`${PROVIDER}/usage-openai-cached`]: '$0.005615',
      [`${PROVIDER}/unpriced`]: '$0.00 (1 unpriced)',
    });
    await usage.getByRole('radio', { name: 'Key' }).check();
    const byKey = usage.getByRole('table', { name: `Usage by key, ${period()}` });
    await byKey.waitFor();
    // team-b: 0.7112805 + 0.0623838 = 0.7736643.
    expect(await costsOf(byKey)).toEqual({ 'team-b': '$0.7737', 'team-a': '$0.005615 (1 unpriced)' });
  });

  it('charts the cost per UTC day by key, its scale cut above the ordinary days, and lists it per day', async () => {
    await usage.getByRole('radio', { name: 'Cost (US$)' }).check();
    const chart = usage.getByRole('img', { name: `Cost in US dollars per UTC day by key, ${daysAgo(29)} to ${today()}` });
    await chart.waitFor();
    expect(await chart.locator('rect.bar title').allTextContents()).toEqual([`${daysAgo(3)}, team-a: $0.005615`, `${daysAgo(1)}, team-b: $0.7113`, `${today()}, team-b: $0.0624`]);
    expect(await usage.locator('.usage-chart .y-axis span').allTextContents()).toEqual(['$0.08', '$0.06', '$0.04', '$0.02', '$0.00']);
    expect(await usage.getByText(/^The scale stops at/).textContent()).toBe(`The scale stops at $0.08 so that every day can be read. Past it, cut short: ${daysAgo(1)} ($0.7113).`);

    await usage.getByText('Figures per day', { exact: true }).click();
    const perDay = usage.getByRole('table', { name: `Usage per day, ${period()}` });
    expect(await costsOf(perDay)).toEqual({ [today()]: '$0.0624 (1 unpriced)', [daysAgo(1)]: '$0.7113', [daysAgo(3)]: '$0.005615' });

    await usage.getByRole('radio', { name: 'Tokens' }).check();
    await usage.getByRole('img', { name: `Tokens per UTC day by key, ${daysAgo(29)} to ${today()}` }).waitFor();
  });
});

describe('an access key\'s own usage', () => {
  it('shows the key what it cost, and no one else\'s', async () => {
    const page = await browser.open(new URL(gateway.apiBase).origin);
    await connectWith(page, teamB.key);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Usage', exact: true }).click();
    const usage = usageRegion(page, 'Your usage');
    await usage.getByRole('radio', { name: 'Model' }).check();
    const byModel = usage.getByRole('table', { name: `Usage by model, ${period()}` });
    await byModel.waitFor();
    expect((await totalsOf(usage)).Cost).toBe('$0.7737');
    expect(await costsOf(byModel)).toEqual({ [`${PROVIDER}/usage-anthropic-cache-write`]: '$0.7113', [`${PROVIDER}/usage-anthropic-cache-read`]: '$0.0624' });
    await page.close();
  });
});
