import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { ADMIN_TOKEN, adminHeaders, jsonInit } from '../support/target.ts';
import { cellTexts, connectWith, navigation, startConsoleBrowser, watchRefusals, type ConsoleBrowser } from './support/console-page.ts';

// The console's Logs view (GET /logs) in Chromium against the real Node server: a chat streamed
// from the playground appears with what the gateway recorded, a failed request shows its error
// code, the filters by key, provider and status show what the API gives for them, "Load more"
// pages to the end without a row twice, and an access key sees only its own requests. Each step
// checks the page against the API's own answer.

interface ApiRow {
  id: string;
  time: string;
  requestId: string | null;
  keyId: string | null;
  providerId: string;
  model: string;
  stream: boolean;
  status: 'ok' | 'error';
  errorCode?: string;
  latencyMs: number;
  ttftMs: number | null;
  promptTokens: number;
  completionTokens: number;
}

const MAIN = 'logs-openai';
const OTHER = 'logs-other';
const PAGE_SIZE = 50;
const format = (value: number) => new Intl.NumberFormat('en-US').format(value);

let gateway: NodeTarget;
let browser: ConsoleBrowser;
let page: Page;
let refused: string[];
let origin: string;
let bob: { id: string; key: string };
const providerIds = new Map<string, string>();

beforeAll(async () => {
  gateway = await startTarget();
  origin = new URL(gateway.apiBase).origin;
  for (const name of [MAIN, OTHER]) {
    const created = await gateway.fetch('/providers', jsonInit('POST', { name, baseUrl: `${gateway.upstreamUrl}/openai/v1`, apiKey: `sk-CANARY-logs-${name}-1234`, routingMethod: 'openai' }));
    providerIds.set(name, ((await created.json()) as { id: string }).id);
  }
  bob = await (await gateway.fetch('/keys', jsonInit('POST', { name: 'bob' }))).json();
  browser = await startConsoleBrowser();
  page = await browser.open(origin);
  await connectWith(page, ADMIN_TOKEN);
  refused = watchRefusals(page);
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

const logs = () => page.getByRole('region', { name: 'Logs', exact: true });
/** The table's request rows (a row's detail is a row of its own, without a Details button). */
const requestRows = (scope: Locator = logs()) => scope.getByRole('row').filter({ has: page.getByRole('button', { name: 'Details', exact: true }) });
const open = async (view: string) => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true }).click();
  await page.waitForURL(`${origin}/#/${view.toLowerCase()}`);
};
const refresh = async () => {
  await logs().getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect.poll(() => logs().getByRole('button', { name: 'Refresh', exact: true }).isEnabled()).toBe(true);
};
const apiLogs = async (query = '', headers: Record<string, string> = adminHeaders): Promise<ApiRow[]> =>
  ((await (await gateway.fetch(`/logs?limit=500${query}`, { headers })).json()) as { data: ApiRow[] }).data;
const chat = async (model: string, headers: Record<string, string> = adminHeaders) => {
  const response = await gateway.fetch('/chat/completions', jsonInit('POST', { model, messages: [{ role: 'user', content: 'Hi' }] }, headers));
  await response.text();
  return response;
};
/** A row's cells as the admin's table shows them: the key column holds the shared token's or the key's name. */
const cellsOf = (row: ApiRow, provider: string, key: string, status = 'OK') => [
  `${row.time.slice(0, 10)} ${row.time.slice(11, 19)} UTC`,
  'chat',
  provider,
  row.model,
  key,
  status,
  `${format(row.latencyMs)} ms`,
  `${format(row.promptTokens)} / ${format(row.completionTokens)}`,
  'Details',
];
/** What a row's detail lists: each term with its value. */
const detailOf = async (row: Locator) => {
  const toggle = row.getByRole('button', { name: 'Details', exact: true });
  await toggle.click();
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  const detail = page.locator(`#${await toggle.getAttribute('aria-controls')}`);
  const terms = await detail.getByRole('term').allTextContents();
  const values = await detail.getByRole('definition').allTextContents();
  return Object.fromEntries(terms.map((term, index) => [term, values[index]]));
};

describe('the Logs view, as the admin', () => {
  it('is a view of its own, at #/logs, and says when nothing is recorded yet', async () => {
    expect(await navigation(page)).toEqual({ views: ['Providers', 'Playground', 'Keys', 'Routes', 'Usage', 'Logs', 'Connect'], current: 'Providers' });
    await open('Logs');
    await logs().getByText('No requests recorded yet.', { exact: true }).waitFor();
    expect(await logs().getByRole('heading', { level: 2 }).textContent()).toBe('Logs');
    expect(await logs().getByRole('group', { name: 'Filters' }).getByRole('combobox').evaluateAll((fields) => fields.map((field) => (field as HTMLSelectElement).labels![0]!.textContent))).toEqual([
      'Key',
      'Provider',
      'Status',
    ]);
  });

  it('shows a chat streamed in the playground, as the gateway recorded it', async () => {
    await open('Playground');
    const model = page.getByRole('region', { name: 'Playground', exact: true }).getByLabel('Model', { exact: true });
    await expect.poll(() => model.locator('option').allTextContents()).toContain(`${MAIN}/gpt-test`);
    await model.selectOption(`${MAIN}/gpt-test`);
    await page.getByLabel('Message', { exact: true }).fill('echo: a streamed chat for the request log');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('region', { name: 'Playground', exact: true }).getByRole('definition').first().waitFor();

    const [recorded, ...others] = await apiLogs();
    expect(others).toEqual([]);
    expect(recorded).toMatchObject({ keyId: null, providerId: providerIds.get(MAIN), model: 'gpt-test', stream: true, status: 'ok' });
    expect(recorded!.completionTokens).toBeGreaterThan(0);
    await open('Logs');
    await expect.poll(() => requestRows().count()).toBe(1);
    expect(await cellTexts(requestRows().first())).toEqual(cellsOf(recorded!, MAIN, 'Shared token'));
    const detail = await detailOf(requestRows().first());
    expect(detail).toMatchObject({
      'Request ID': recorded!.requestId,
      Started: recorded!.time,
      Route: 'chat',
      Streamed: 'yes',
      Provider: `${MAIN} (${providerIds.get(MAIN)})`,
      Status: 'OK',
      'Time to first token': `${format(recorded!.ttftMs!)} ms`,
      'Prompt tokens': format(recorded!.promptTokens),
      'Completion tokens': format(recorded!.completionTokens),
    });
    expect(detail).not.toHaveProperty('Error code');
    expect(JSON.stringify(detail)).not.toContain('a streamed chat for the request log');
  });

  it('shows a failed request by the error code its client got, in the row and in its detail', async () => {
    const failed = await chat(`${MAIN}/always-500`);
    expect(failed.status).toBe(502);
    await refresh();
    await expect.poll(() => requestRows().count()).toBe(2);
    const [recorded] = await apiLogs();
    expect(recorded).toMatchObject({ requestId: failed.headers.get('x-request-id'), model: 'always-500', status: 'error', errorCode: 'PROVIDER_ERROR' });
    expect(await cellTexts(requestRows().first())).toEqual(cellsOf(recorded!, MAIN, 'Shared token', 'PROVIDER_ERROR'));
    expect(await detailOf(requestRows().first())).toMatchObject({ 'Request ID': failed.headers.get('x-request-id'), Status: 'failed', 'Error code': 'PROVIDER_ERROR', Streamed: 'no', 'Time to first token': 'not streamed' });
    await logs().screenshot({ path: new URL('../../docs/screenshots/console-logs.png', import.meta.url).pathname });
  });

  it('filters by status, provider and key, as GET /logs does', async () => {
    await chat(`${OTHER}/gpt-test`, { authorization: `Bearer ${bob.key}`, 'content-type': 'application/json' });
    await chat(`${OTHER}/gpt-test`);
    await refresh();
    await expect.poll(() => requestRows().count()).toBe(4);
    const filters = logs().getByRole('group', { name: 'Filters' });
    const select = (label: string) => filters.getByLabel(label, { exact: true });

    await select('Status').selectOption({ label: 'Failed' });
    await expect.poll(() => requestRows().count()).toBe(1);
    expect(await cellTexts(requestRows().first())).toEqual(cellsOf((await apiLogs('&status=error'))[0]!, MAIN, 'Shared token', 'PROVIDER_ERROR'));

    await select('Status').selectOption({ label: 'OK' });
    await expect.poll(() => requestRows().count()).toBe(3);
    expect(await logs().getByRole('cell', { name: 'PROVIDER_ERROR' }).count()).toBe(0);

    await select('Status').selectOption({ label: 'Any status' });
    expect(await select('Provider').locator('option').allTextContents()).toEqual(['Any provider', MAIN, OTHER]);
    await select('Provider').selectOption({ label: OTHER });
    await expect.poll(() => requestRows().count()).toBe(2);
    const others = await apiLogs(`&provider=${providerIds.get(OTHER)}`);
    expect(await Promise.all((await requestRows().all()).map(cellTexts))).toEqual([cellsOf(others[0]!, OTHER, 'Shared token'), cellsOf(others[1]!, OTHER, 'bob')]);

    expect(await select('Key').locator('option').allTextContents()).toEqual(['Any key', 'bob']);
    await select('Key').selectOption({ label: 'bob' });
    await expect.poll(() => requestRows().count()).toBe(1);
    expect(await cellTexts(requestRows().first())).toEqual(cellsOf((await apiLogs(`&key=${bob.id}`))[0]!, OTHER, 'bob'));

    await select('Status').selectOption({ label: 'Failed' });
    await logs().getByText('No requests match these filters.', { exact: true }).waitFor();
    expect(await requestRows().count()).toBe(0);
    await select('Key').selectOption({ label: 'Any key' });
    await select('Provider').selectOption({ label: 'Any provider' });
    await select('Status').selectOption({ label: 'Any status' });
    await expect.poll(() => requestRows().count()).toBe(4);
  });

  it('pages with "Load more" to the end, newest first, without a row twice', async () => {
    for (let batch = 0; batch < 5; batch++) await Promise.all(Array.from({ length: 12 }, () => chat(`${MAIN}/gpt-test`)));
    const all = await apiLogs();
    expect(all.length).toBe(64);
    await refresh();
    await expect.poll(() => requestRows().count()).toBe(PAGE_SIZE);
    const more = logs().getByRole('button', { name: 'Load more', exact: true });
    await more.click();
    await expect.poll(() => requestRows().count()).toBe(all.length);
    expect(await more.count()).toBe(0);
    // Each row's detail names its request id: the page's order is the API's, each request once.
    const rows = await requestRows().all();
    const ids: string[] = [];
    for (const row of rows.slice(PAGE_SIZE - 2, PAGE_SIZE + 2)) ids.push((await detailOf(row))['Request ID']!);
    expect(ids).toEqual(all.slice(PAGE_SIZE - 2, PAGE_SIZE + 2).map((row) => row.requestId));
    expect(new Set(all.map((row) => row.id)).size).toBe(all.length);
    expect(refused).toEqual([]);
  });
});

describe('the Logs view, as an access key', () => {
  it('shows only its own requests, with its provider named, and no key filter', async () => {
    const tab = await browser.open(origin);
    try {
      await connectWith(tab, bob.key);
      const refusedToKey = watchRefusals(tab);
      expect(await navigation(tab)).toEqual({ views: ['Playground', 'Keys', 'Usage', 'Logs', 'Connect'], current: 'Playground' });
      await tab.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Logs', exact: true }).click();
      const own = tab.getByRole('region', { name: 'Logs', exact: true });
      const rows = own.getByRole('row').filter({ has: tab.getByRole('button', { name: 'Details', exact: true }) });
      await expect.poll(() => rows.count()).toBe(1);
      const [mine] = await apiLogs('', { authorization: `Bearer ${bob.key}` });
      expect(mine).toMatchObject({ keyId: bob.id, providerId: providerIds.get(OTHER) });
      const cells = cellsOf(mine!, OTHER, 'bob');
      expect(await cellTexts(rows.first())).toEqual([...cells.slice(0, 4), ...cells.slice(5)]);
      expect(await own.getByRole('group', { name: 'Filters' }).getByRole('combobox').count()).toBe(2);
      expect(await own.getByLabel('Key', { exact: true }).count()).toBe(0);
      expect(refusedToKey).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
