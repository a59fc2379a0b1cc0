import { mkdir } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenPieces } from '../support/fake-upstream/scenarios.ts';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { ADMIN_TOKEN, adminHeaders, jsonInit } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';
import { cellTexts, descriptionOf, focusedName, scrollsSideways, startConsoleBrowser, storedState, type ConsoleBrowser } from './support/console-page.ts';

// The console (GET /) in Chromium against the real Node server, driven only through what a
// person sees and a screen reader announces: roles, labels, descriptions. Each step checks the
// gateway's own answer too. The tests share one page and run in order, as one session would.

const PLANTED_KEY = 'sk-CANARY-console-5f4e3d2c1b0a9988';
const IMPORT_KEYS = ['sk-CANARY-import-alpha-77665544', 'sk-CANARY-import-beta-33221100'];
const PROVIDER = 'console-openai';
const STREAM_MODEL = 'slow-50@console-stop';
const TOKEN_ENTRY = 'llm-gateway.console.token';
const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url);
const format = (value: number) => new Intl.NumberFormat('en-US').format(value);

let gateway: NodeTarget;
let browser: ConsoleBrowser;
let page: Page;
let origin: string;
const ownOrigins = new Set<string>();

beforeAll(async () => {
  gateway = await startTarget();
  origin = new URL(gateway.apiBase).origin;
  ownOrigins.add(origin);
  browser = await startConsoleBrowser();
  await browser.chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  page = await browser.open(origin);
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

const region = (name: string) => page.getByRole('region', { name, exact: true });
const providers = () => region('Providers');
const providerRow = (name: string) => providers().getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
const dialog = (name: string) => page.getByRole('dialog', { name, exact: true });
const button = (scope: Locator | Page, name: string) => scope.getByRole('button', { name, exact: true });
const gone = (locator: Locator) => locator.waitFor({ state: 'detached' });

async function api<T>(path: string, init: RequestInit = { headers: adminHeaders }): Promise<T> {
  const response = await gateway.fetch(path, init);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

interface ApiProvider {
  id: string;
  name: string;
  apiKeyHint: string;
  customHeaders: Record<string, string>;
}

describe('connecting', () => {
  it('asks for a token, shows the gateway\'s message for a wrong one and keeps only the right one, in sessionStorage', async () => {
    const field = page.getByLabel('Access token', { exact: true });
    await field.waitFor();
    const refusal = await api<{ error: { message: string } }>('/providers', { headers: { authorization: 'Bearer not-the-token-0123456789' } });
    expect(refusal.error.message).toBe('Invalid bearer token');

    await field.fill('not-the-token-0123456789');
    await button(page, 'Connect').click();
    await expect.poll(() => descriptionOf(field)).toEqual(['Kept in this tab only (sessionStorage) until you disconnect or close it.', 'Invalid bearer token']);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await storedState(page)).toEqual({ session: {}, local: {}, cookie: '' });

    await field.fill(ADMIN_TOKEN);
    await button(page, 'Connect').click();
    await page.getByRole('heading', { name: 'Providers', exact: true }).waitFor();
    expect(await field.count()).toBe(0);
    expect(await storedState(page)).toEqual({ session: { [TOKEN_ENTRY]: ADMIN_TOKEN }, local: {}, cookie: '' });
    expect(await providers().getByText('No providers yet: add one, or import a JSON array of them.').count()).toBe(1);
  });
});

describe('providers', () => {
  it('adds a provider and lists it with its key hint; the key itself never reaches the page', async () => {
    await button(providers(), 'Add provider').click();
    const form = dialog('Add provider');
    await form.getByLabel('Name', { exact: true }).fill(PROVIDER);
    await form.getByLabel('Base URL', { exact: true }).fill(`${gateway.upstreamUrl}/openai/v1`);
    await form.getByLabel('Protocol', { exact: true }).selectOption('openai');
    await form.getByLabel('API key', { exact: true }).fill(PLANTED_KEY);
    await form.getByLabel('Custom headers', { exact: true }).fill(`x-fake-models: ${STREAM_MODEL}\nX-Title: console test`);
    await button(form, 'Save').click();
    await gone(form);

    const [stored] = (await api<{ data: ApiProvider[] }>('/providers')).data;
    expect(stored).toMatchObject({ name: PROVIDER, apiKeyHint: '…9988', customHeaders: { 'x-fake-models': STREAM_MODEL, 'X-Title': 'console test' } });
    expect((await cellTexts(providerRow(PROVIDER))).slice(0, 4)).toEqual([PROVIDER, `${gateway.upstreamUrl}/openai/v1`, 'openai', '…9988']);
    expect(await page.content()).not.toContain(PLANTED_KEY);
    expect(await page.content()).not.toContain(PLANTED_KEY.slice(0, -4));
  });

  it('shows a validation error beside the field the gateway names, and stores nothing', async () => {
    await button(providers(), 'Add provider').click();
    const form = dialog('Add provider');
    const fields = {
      name: form.getByLabel('Name', { exact: true }),
      baseUrl: form.getByLabel('Base URL', { exact: true }),
      customHeaders: form.getByLabel('Custom headers', { exact: true }),
    };
    const hints = { name: 'Used in model names: <name>/<model>.', baseUrl: 'e.g. https://api.openai.com/v1 or https://api.anthropic.com', customHeaders: 'Optional. One per line, as Name: value.' };
    const valid = { name: 'second', baseUrl: `${gateway.upstreamUrl}/openai/v1`, apiKey: PLANTED_KEY, routingMethod: 'openai' };
    const cases = [
      { field: 'baseUrl' as const, typed: 'ftp://127.0.0.1/files', body: { ...valid, baseUrl: 'ftp://127.0.0.1/files' } },
      { field: 'name' as const, typed: 'bad/name', body: { ...valid, name: 'bad/name' } },
      { field: 'name' as const, typed: 'evil\u202egpj.exe', body: { ...valid, name: 'evil\u202egpj.exe' } },
      { field: 'customHeaders' as const, typed: 'X Bad: value', body: { ...valid, customHeaders: { 'X Bad': 'value' } } },
    ];
    await form.getByLabel('API key', { exact: true }).fill(PLANTED_KEY);
    for (const { field, typed, body } of cases) {
      const answer = await api<{ error: { code: string; message: string; details: { field: string } } }>('/providers', jsonInit('POST', body));
      expect(answer.error.code).toBe('VALIDATION_ERROR');
      expect(answer.error.details.field.split('.')[0]).toBe(field);
      await fields.name.fill(valid.name);
      await fields.baseUrl.fill(valid.baseUrl);
      await fields.customHeaders.fill('');
      await fields[field].fill(typed);
      await button(form, 'Save').click();
      await expect.poll(() => descriptionOf(fields[field])).toEqual([hints[field], answer.error.message]);
      for (const other of Object.keys(fields) as Array<keyof typeof fields>) {
        if (other !== field) expect(await descriptionOf(fields[other])).toEqual([hints[other]]);
      }
    }
    await button(form, 'Cancel').click();
    await gone(form);
    expect((await api<{ data: ApiProvider[] }>('/providers')).data.map((provider) => provider.name)).toEqual([PROVIDER]);
  });

  it('checks, tests and lists the models of a provider from its row', async () => {
    const row = providerRow(PROVIDER);
    await button(row, 'Check').click();
    await expect.poll(() => row.getByRole('status').textContent()).toMatch(/^Reachable, key accepted \(\d+ ms, circuit closed\)$/);
    await button(row, 'Test').click();
    await expect.poll(() => row.getByRole('status').textContent()).toMatch(/^Test passed \(\d+ ms\)$/);
    await button(row, 'Models').click();
    const models = row.getByRole('list');
    await models.waitFor();
    expect(await models.getByRole('listitem').allTextContents()).toEqual(['gpt-test', 'tools', 'gpt-4o-mini', 'o3-mini', 'text-embedding-3-small', STREAM_MODEL]);
    expect(await row.getByRole('status').locator('p').textContent()).toBe('6 models (cached):');
  });

  it('edits a provider (an empty API key keeps the stored one) and deletes it after asking', async () => {
    const created = await api<ApiProvider>('/providers', jsonInit('POST', { name: 'to-edit', baseUrl: `${gateway.upstreamUrl}/openai/v1`, apiKey: 'sk-CANARY-edit-00001111', routingMethod: 'openai' }));
    await button(providers(), 'Refresh').click();
    await button(providerRow('to-edit'), 'Edit').click();
    const form = dialog('Edit to-edit');
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('to-edit');
    expect(await form.getByLabel('API key', { exact: true }).inputValue()).toBe('');
    await form.getByLabel('Name', { exact: true }).fill('edited');
    await form.getByLabel('Protocol', { exact: true }).selectOption('anthropic');
    await button(form, 'Save').click();
    await gone(form);
    expect((await cellTexts(providerRow('edited'))).slice(0, 4)).toEqual(['edited', `${gateway.upstreamUrl}/openai/v1`, 'anthropic', '…1111']);
    expect(await api<ApiProvider>(`/providers/${created.id}`)).toMatchObject({ name: 'edited', routingMethod: 'anthropic', apiKeyHint: '…1111' });

    await button(providerRow('edited'), 'Delete').click();
    const confirm = dialog('Delete edited?');
    expect(await focusedName(page)).toBe('Cancel');
    await button(confirm, 'Delete').click();
    await gone(confirm);
    await gone(providerRow('edited'));
    expect((await gateway.fetch(`/providers/${created.id}`, { headers: adminHeaders })).status).toBe(404);
  });

  it('works with the keyboard alone: the dialog takes the focus, Escape closes it, focus comes back', async () => {
    const opener = button(providers(), 'Add provider');
    await opener.focus();
    await page.keyboard.press('Enter');
    const form = dialog('Add provider');
    await form.waitFor();
    expect(await focusedName(page)).toBe('Name');
    await page.keyboard.press('Escape');
    await gone(form);
    await expect.poll(() => focusedName(page)).toBe('Add provider');

    await page.keyboard.press('Enter');
    await form.waitFor();
    await page.keyboard.type('keyboard-only');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Base URL');
    await page.keyboard.type(`${gateway.upstreamUrl}/anthropic`);
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Protocol');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.type('sk-CANARY-keyboard-12345678');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Custom headers');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Save');
    await page.keyboard.press('Enter');
    await gone(form);
    expect((await cellTexts(providerRow('keyboard-only'))).slice(0, 4)).toEqual(['keyboard-only', `${gateway.upstreamUrl}/anthropic`, 'anthropic', '…5678']);
    await expect.poll(() => focusedName(page)).toBe('Add provider');
  });

  it('imports a pasted JSON array: its mistakes beside the field, a dry run that stores nothing, then the import', async () => {
    await button(providers(), 'Import').click();
    const form = dialog('Import providers');
    const entries = form.getByLabel('Providers (JSON array)', { exact: true });
    const hint = 'Each entry as "Add provider" takes it: {"name", "baseUrl", "apiKey", "routingMethod", "customHeaders"}.';
    const batch = ['alpha', 'beta'].map((name, index) => ({ name: `imported-${name}`, baseUrl: `${gateway.upstreamUrl}/openai/v1`, apiKey: IMPORT_KEYS[index], routingMethod: 'openai' }));

    await entries.fill('{"name": "not an array"}');
    await button(form, 'Dry run').click();
    await expect.poll(() => descriptionOf(entries)).toEqual([hint, 'Paste a JSON array of providers: [{"name": …, "baseUrl": …, "apiKey": …, "routingMethod": …}]']);

    const invalid = [batch[0], { ...batch[1], baseUrl: 'ftp://127.0.0.1/files' }];
    const refusal = await api<{ error: { message: string; details: Record<string, unknown> } }>('/providers/import', jsonInit('POST', { providers: invalid, dryRun: true }));
    expect(refusal.error.details).toEqual({ index: 1, field: 'baseUrl', issue: 'must be an http(s) URL' });
    await entries.fill(JSON.stringify(invalid));
    await button(form, 'Dry run').click();
    await expect.poll(() => descriptionOf(entries)).toEqual([hint, `${refusal.error.message} (entry 2, field baseUrl)`]);

    await entries.fill(JSON.stringify(batch));
    await button(form, 'Dry run').click();
    const result = form.getByRole('status', { name: 'Import result' });
    await expect.poll(() => result.innerText()).toBe('Dry run: nothing was stored.\n\nWould create 2: imported-alpha, imported-beta\nWould replace 0\nWould skip 0');
    expect((await api<{ data: ApiProvider[] }>('/providers')).data.map((provider) => provider.name)).toEqual([PROVIDER, 'keyboard-only']);

    await button(form, 'Import').click();
    await expect.poll(() => result.innerText()).toBe('Imported.\n\nCreated 2: imported-alpha, imported-beta\nReplaced 0\nSkipped 0');
    expect(await entries.inputValue()).toBe('');
    expect((await api<{ data: ApiProvider[] }>('/providers')).data.map((provider) => provider.name)).toEqual([PROVIDER, 'keyboard-only', 'imported-alpha', 'imported-beta']);
    await button(form, 'Close').click();
    await gone(form);
    await providerRow('imported-beta').waitFor();
    const content = await page.content();
    for (const key of [PLANTED_KEY, ...IMPORT_KEYS]) expect(content).not.toContain(key);
    await mkdir(SCREENSHOTS, { recursive: true });
    await button(providerRow(PROVIDER), 'Check').click();
    await providerRow(PROVIDER).getByRole('status').getByText(/^Reachable/).waitFor();
    await providers().screenshot({ path: new URL('console-providers.png', SCREENSHOTS).pathname });
  });
});

describe('playground', () => {
  const answer = () => region('Answer');
  const model = () => region('Playground').getByLabel('Model', { exact: true });

  it('offers the models of GET /models', async () => {
    const list = await api<{ data: Array<{ id: string }> }>('/models');
    await expect.poll(() => model().locator('option').allTextContents()).toEqual(list.data.map((entry) => entry.id));
    expect(list.data.map((entry) => entry.id)).toContain(`${PROVIDER}/${STREAM_MODEL}`);
  });

  it('streams an answer that grows as it arrives, and Stop ends it and the upstream call', async () => {
    const fullText = ['Chunk 1.', ...Array.from({ length: 99 }, (_, index) => ` Chunk ${index + 2}.`)].join('');
    await model().selectOption(`${PROVIDER}/${STREAM_MODEL}`);
    await page.getByLabel('Message', { exact: true }).fill('Count slowly, please.');
    await button(page, 'Send').click();
    await button(page, 'Stop').waitFor();

    const samples: string[] = [];
    for (let sample = 0; sample < 5; sample++) {
      await page.waitForTimeout(180);
      samples.push((await answer().textContent()) ?? '');
    }
    // Each sample is the start of the full answer (the region holds nothing else), none shorter
    // than the one before, and the answer visibly grew between them (a busy machine may let two
    // samples see the same text).
    for (const text of samples) expect(fullText.startsWith(text)).toBe(true);
    for (let index = 1; index < samples.length; index++) expect(samples[index]!.length).toBeGreaterThanOrEqual(samples[index - 1]!.length);
    expect(new Set(samples.filter((text) => text !== '')).size).toBeGreaterThanOrEqual(3);

    await button(page, 'Stop').click();
    await region('Playground').getByRole('status').getByText('Stopped.', { exact: true }).waitFor();
    expect(await button(page, 'Stop').count()).toBe(0);
    await expect.poll(async () => (await upstreamControl(gateway.upstreamUrl).streamProgress(STREAM_MODEL)).aborted, { timeout: 3000 }).toBe(true);
    const progress = await upstreamControl(gateway.upstreamUrl).streamProgress(STREAM_MODEL);
    expect(progress.finished).toBe(false);
    expect(progress.chunksWritten).toBeLessThan(60);
    const stopped = (await answer().textContent()) ?? '';
    expect(fullText.startsWith(stopped)).toBe(true);
    expect(stopped.length).toBeGreaterThanOrEqual(samples.at(-1)!.length);
    await page.waitForTimeout(300);
    expect(await answer().textContent()).toBe(stopped);
  });

  it('shows a finished answer, then its tokens and time to first token', async () => {
    // The fake upstream answers a message that starts with "echo:" with that message.
    const message = 'echo: Hello from the console playground, streamed through the gateway.';
    await model().selectOption(`${PROVIDER}/gpt-test`);
    await page.getByLabel('Message', { exact: true }).fill(message);
    await button(page, 'Send').click();
    const figures = region('Playground').getByRole('definition');
    await figures.first().waitFor();
    expect(await answer().textContent()).toBe(message);
    const [provider, prompt, completion, firstToken, total] = await figures.allTextContents();
    expect([provider, prompt, completion]).toEqual([PROVIDER, '19', String(tokenPieces(message).length)]);
    expect(firstToken).toMatch(/^\d+ ms$/);
    expect(total).toMatch(/^\d+ ms$/);
    expect(Number.parseInt(firstToken!, 10)).toBeLessThanOrEqual(Number.parseInt(total!, 10));
    expect(await region('Playground').getByRole('term').allTextContents()).toEqual(['Provider', 'Prompt tokens', 'Completion tokens', 'Time to first token', 'Total time']);
    await region('Playground').screenshot({ path: new URL('console-playground.png', SCREENSHOTS).pathname });
  });
});

describe('access keys', () => {
  const keys = () => region('Access keys');

  it('creates a key, shows its secret once with a copy button, and no more after a reload; deletes it after asking', async () => {
    await button(keys(), 'Create key').click();
    const form = dialog('Create key');
    await form.getByLabel('Name', { exact: true }).fill('console-app');
    await form.getByLabel('Token budget', { exact: true }).fill('5000');
    await button(form, 'Create key').click();
    await gone(form);

    const notice = keys().getByRole('status', { name: 'New key' });
    const secret = (await notice.locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^gwk_[A-Za-z0-9_-]{20,}$/);
    const [stored] = (await api<{ data: Array<{ id: string; name: string; keyHint: string; budget: unknown }> }>('/keys')).data;
    expect(stored).toMatchObject({ name: 'console-app', keyHint: `gwk_…${secret.slice(-4)}`, budget: { tokens: 5000, period: 'month' } });
    const row = keys().getByRole('row').filter({ has: page.getByRole('cell', { name: 'console-app', exact: true }) });
    expect((await cellTexts(row)).slice(0, 5)).toEqual(['console-app', `gwk_…${secret.slice(-4)}`, 'all providers; all models', '5,000 tokens / month', 'never']);

    await button(notice, 'Copy key').click();
    await notice.getByText('Copied to the clipboard.', { exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    await page.reload();
    await row.waitFor();
    expect(await page.getByLabel('Access token', { exact: true }).count()).toBe(0);
    expect(await notice.count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    await button(row, 'Delete').click();
    const confirm = dialog('Delete key console-app?');
    await button(confirm, 'Delete').click();
    await gone(confirm);
    await gone(row);
    expect((await api<{ data: unknown[] }>('/keys')).data).toEqual([]);
    expect((await gateway.rawFetch(`${gateway.apiBase}/models`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
  });
});

describe('usage', () => {
  it('draws tokens per day by provider as SVG and lists the same figures as GET /usage', async () => {
    const usage = region('Usage');
    await button(usage, 'Refresh').click();
    const table = usage.getByRole('table', { name: 'Tokens per day by provider' });
    const names = new Map((await api<{ data: ApiProvider[] }>('/providers')).data.map((provider) => [provider.id, provider.name]));
    type Row = { day: string; provider: string; requests: number; errors: number; promptTokens: number; completionTokens: number };
    const expected = async () => {
      const report = await api<{ data: Row[] }>('/usage?groupBy=day,provider');
      return report.data
        .map((row) => [row.day, names.get(row.provider)!, row.requests, row.errors, row.promptTokens, row.completionTokens, row.promptTokens + row.completionTokens] as const)
        .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
    };
    const shown = async () => {
      const rows = await table.getByRole('rowgroup').nth(1).getByRole('row').all();
      return Promise.all(rows.map((row) => cellTexts(row)));
    };
    await table.waitFor();
    const figures = await expected();
    // Only chat is recorded: the stopped answer and the finished one, both through one provider, today.
    expect(figures.map((row) => row[1])).toEqual([PROVIDER]);
    await expect.poll(shown).toEqual(figures.map((row) => row.map((cell) => (typeof cell === 'number' ? format(cell) : cell))));

    const chart = usage.getByRole('img', { name: 'Tokens per day by provider' });
    expect(await chart.evaluate((element) => element.tagName)).toBe('svg');
    const bars = await chart.locator('rect.bar title').allTextContents();
    expect(bars).toEqual(figures.filter((row) => row[6] > 0).map((row) => `${row[0]}, ${row[1]}: ${format(row[6])} tokens`));
  });
});

describe('a provider named in Japanese', () => {
  it('is added through the form, listed, and named as the one that served an answer in the playground', async () => {
    const name = '日本語プロバイダ';
    await button(providers(), 'Add provider').click();
    const form = dialog('Add provider');
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Base URL', { exact: true }).fill(`${gateway.upstreamUrl}/openai/v1`);
    await form.getByLabel('Protocol', { exact: true }).selectOption('openai');
    await form.getByLabel('API key', { exact: true }).fill(PLANTED_KEY);
    await button(form, 'Save').click();
    await gone(form);
    expect((await cellTexts(providerRow(name)))[0]).toBe(name);

    // X-Gateway-Provider arrives percent-encoded; the client decodes it for the page.
    const message = 'echo: こんにちは';
    await expect.poll(() => region('Playground').getByLabel('Model', { exact: true }).locator('option').allTextContents()).toContain(`${name}/gpt-test`);
    await region('Playground').getByLabel('Model', { exact: true }).selectOption(`${name}/gpt-test`);
    await page.getByLabel('Message', { exact: true }).fill(message);
    await button(page, 'Send').click();
    const figures = region('Playground').getByRole('definition');
    await expect.poll(async () => (await figures.allTextContents())[0]).toBe(name);
    expect(await region('Answer').textContent()).toBe(message);

    const stored = (await api<{ data: ApiProvider[] }>('/providers')).data.find((provider) => provider.name === name)!;
    expect((await gateway.fetch(`/providers/${stored.id}`, { method: 'DELETE', headers: adminHeaders })).status).toBe(204);
  });
});

describe('layout and origins', () => {
  it('fits a 360 px wide screen without sideways scrolling, dialogs included', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    expect(await scrollsSideways(page)).toBe(false);
    await button(providers(), 'Import').click();
    await dialog('Import providers').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    expect(await dialog('Import providers').evaluate((element) => element.getBoundingClientRect().right <= window.innerWidth)).toBe(true);
    await page.keyboard.press('Escape');
    await gone(dialog('Import providers'));
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('needs no token from a gateway that needs none, and shows a failed load where it happened', async () => {
    const open = await startTarget({ API_AUTH_TOKEN: undefined, ADMIN_TOKEN: undefined });
    const openOrigin = new URL(open.apiBase).origin;
    ownOrigins.add(openOrigin);
    const tab = await browser.open(openOrigin);
    try {
      await tab.getByRole('heading', { name: 'Providers', exact: true }).waitFor();
      expect(await tab.getByLabel('Access token', { exact: true }).count()).toBe(0);
      expect(await tab.getByRole('button', { name: 'Disconnect', exact: true }).count()).toBe(0);
      expect(await storedState(tab)).toEqual({ session: {}, local: {}, cookie: '' });

      await open.close();
      const openProviders = tab.getByRole('region', { name: 'Providers', exact: true });
      await openProviders.getByRole('button', { name: 'Refresh', exact: true }).click();
      await expect.poll(() => openProviders.getByRole('alert').textContent()).toBe(`Could not reach the gateway (GET ${open.apiBase}/providers)`);
      expect(await tab.getByRole('heading', { name: 'Playground', exact: true }).count()).toBe(1);
    } finally {
      await tab.close();
    }
  });

  it('runs under the Content-Security-Policy its server sends, with nothing refused, and cannot be framed', async () => {
    const tab = await browser.chromium.context.newPage();
    const framing = await browser.chromium.context.newPage();
    try {
      // Injected by the browser itself (not subject to the page's policy): every refusal is kept.
      await tab.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { violations: string[] }).violations = seen;
        document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
      });
      const loaded = await tab.goto(`${origin}/`);
      expect(loaded!.headers()['content-security-policy']).toBe("default-src 'self'; connect-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      expect([loaded!.headers()['x-content-type-options'], loaded!.headers()['referrer-policy']]).toEqual(['nosniff', 'no-referrer']);
      await tab.getByLabel('Access token', { exact: true }).fill(ADMIN_TOKEN);
      await button(tab, 'Connect').click();
      await tab.getByRole('heading', { name: 'Providers', exact: true }).waitFor();
      await tab.getByRole('region', { name: 'Usage', exact: true }).waitFor();
      await tab.waitForLoadState('networkidle');
      expect(await tab.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);

      // A page that frames the console gets Chromium's error page in the frame, not the console.
      await framing.setContent(`<iframe src="${origin}/"></iframe>`);
      await expect.poll(() => framing.frames().length).toBe(2);
      await expect.poll(() => framing.frames()[1]!.url()).toBe('chrome-error://chromewebdata/');
    } finally {
      await tab.close();
      await framing.close();
    }
  });

  it('sent requests to its own gateways only', () => {
    expect(browser.requestedOrigins()).toEqual([...ownOrigins].sort());
  });
});
