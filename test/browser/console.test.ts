import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELLO_TEXT, tokenPieces } from '../support/fake-upstream/scenarios.ts';
import { startClockTarget, startTarget, type NodeTarget } from '../support/node-target.ts';
import { ADMIN_TOKEN, adminHeaders, jsonInit } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';
import { cellTexts, connectWith, descriptionOf, focusedName, liveRegions, navigation, scrollsSideways, startConsoleBrowser, storedState, watchRefusals, type ConsoleBrowser } from './support/console-page.ts';

// The console (GET /) as the admin, in Chromium against the real Node server, driven only through
// what a person sees and a screen reader announces: roles, labels, descriptions. Each step checks
// the gateway's own answer too. The tests share one page and run in order, as one session would.
// The gateway runs on a clock the usage tests move back, to record usage on earlier days.

const PLANTED_KEY = 'sk-CANARY-console-5f4e3d2c1b0a9988';
const IMPORT_KEYS = ['sk-CANARY-import-alpha-77665544', 'sk-CANARY-import-beta-33221100'];
const PROVIDER = 'console-openai';
const STREAM_MODEL = 'slow-50@console-stop';
const TOKEN_ENTRY = 'llm-gateway.console.token';
const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url);
const DAY_MS = 24 * 60 * 60 * 1000;
const format = (value: number) => new Intl.NumberFormat('en-US').format(value);
const run = promisify(execFile);

let clockOffset = 0;
let gateway: NodeTarget;
let browser: ConsoleBrowser;
let page: Page;
let origin: string;
let refused: string[];
const ownOrigins = new Set<string>();

beforeAll(async () => {
  gateway = await startClockTarget(() => Date.now() + clockOffset);
  origin = new URL(gateway.apiBase).origin;
  ownOrigins.add(origin);
  browser = await startConsoleBrowser();
  await browser.chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  page = await browser.open(origin);
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

const region = (name: string) => page.getByRole('region', { name, exact: true });
const providers = () => region('Providers');
const keys = () => region('Access keys');
const rowOf = (scope: Locator, name: string) => scope.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
/** A key's row, found by its name whether or not the name carries a "disabled" or "expired" badge. */
const keyRow = (name: string) => keys().getByRole('row').filter({ has: page.getByRole('cell', { name: new RegExp(`^${name}( disabled| expired)?$`) }) });
const providerRow = (name: string) => rowOf(providers(), name);
const dialog = (name: string) => page.getByRole('dialog', { name, exact: true });
const button = (scope: Locator | Page, name: string) => scope.getByRole('button', { name, exact: true });
const gone = (locator: Locator) => locator.waitFor({ state: 'detached' });
const open = async (view: string) => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true }).click();
  await page.waitForURL(`${origin}/#/${view.toLowerCase()}`);
};
/** A form's summary of its problems: its heading line, then one line per problem. */
const alertLines = async (scope: Locator) => {
  const alert = scope.getByRole('alert');
  return [await alert.locator('p').textContent(), ...(await alert.getByRole('listitem').allTextContents())];
};
const screenshot = (locator: Locator | Page, name: string) => locator.screenshot({ path: new URL(name, SCREENSHOTS).pathname });

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

interface ApiKey {
  id: string;
  name: string;
  keyHint: string;
  providers: string[] | null;
  models: string[] | null;
  rateLimit: { requests: number; windowMs: number } | null;
  budget: { tokens: number; period: string } | null;
  expiresAt: string | null;
  disabled: boolean;
}

describe('connecting', () => {
  it('asks for a token, shows the gateway\'s message for a wrong one and keeps only the right one, in sessionStorage', async () => {
    const field = page.getByLabel('Access token', { exact: true });
    await field.waitFor();
    const refusal = await api<{ error: { message: string } }>('/session', { headers: { authorization: 'Bearer not-the-token-0123456789' } });
    expect(refusal.error.message).toBe('Invalid bearer token');

    await field.fill('not-the-token-0123456789');
    await button(page, 'Connect').click();
    await expect.poll(() => descriptionOf(field)).toEqual(['Kept in this tab only (sessionStorage) until you disconnect or close it.', 'Invalid bearer token']);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await storedState(page)).toEqual({ session: {}, local: {}, cookie: '' });

    await connectWith(page, ADMIN_TOKEN);
    refused = watchRefusals(page);
    expect(await field.count()).toBe(0);
    expect(await storedState(page)).toEqual({ session: { [TOKEN_ENTRY]: ADMIN_TOKEN }, local: {}, cookie: '' });
    expect(await page.locator('.caller').textContent()).toBe('Connected as Admin');
    expect(await navigation(page)).toEqual({ views: ['Providers', 'Playground', 'Keys', 'Routes', 'Usage', 'Logs', 'Connect'], current: 'Providers' });
    expect(page.url()).toBe(`${origin}/#/providers`);
    expect(await providers().getByText('No providers yet: add one, or import a JSON array of them.').count()).toBe(1);
  });

  it('gives each view a URL: a reload, or a link, lands on it', async () => {
    await page.goto(`${origin}/#/keys`);
    await keys().waitFor();
    expect((await navigation(page)).current).toBe('Keys');
    await page.goBack();
    await providers().waitFor();
    expect((await navigation(page)).current).toBe('Providers');
    await open('Usage');
    expect(await focusedName(page)).toBe('Usage');
    await open('Providers');
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

  it('checks the whole form before sending: every mistake at once, in plain words, focus on the first; nothing is sent', async () => {
    const before = (await upstreamControl(gateway.upstreamUrl).requests()).length;
    await button(providers(), 'Add provider').click();
    const form = dialog('Add provider');
    const field = (label: string) => form.getByLabel(label, { exact: true });
    await field('Name').fill('bad/name');
    await field('Base URL').fill('api.example.com/v1');
    await field('Custom headers').fill('X-Title My app');
    await button(form, 'Save').click();

    const mistakes = {
      Name: 'A name cannot contain "/": in a model name the "/" separates the provider from the model.',
      'Base URL': 'Enter a whole address starting with https:// (or http:// for a server on your own network).',
      'Custom headers': 'Line 1: write each header as Name: value',
    };
    await expect.poll(() => focusedName(page)).toBe('Name');
    for (const [label, message] of Object.entries(mistakes)) {
      expect((await descriptionOf(field(label))).at(-1)).toBe(message);
      expect(await field(label).getAttribute('aria-invalid')).toBe('true');
    }
    expect(await field('API key').getAttribute('aria-invalid')).toBeNull();
    expect(await alertLines(form)).toEqual(['3 fields need a change:', ...Object.entries(mistakes).map(([label, message]) => `${label}: ${message}`)]);
    expect((await upstreamControl(gateway.upstreamUrl).requests()).length).toBe(before);
    await button(form, 'Cancel').click();
    await gone(form);
    expect((await api<{ data: ApiProvider[] }>('/providers')).data.map((provider) => provider.name)).toEqual([PROVIDER]);
  });

  it('shows what only the gateway can refuse beside the field it names', async () => {
    await button(providers(), 'Add provider').click();
    const form = dialog('Add provider');
    const valid = { name: 'second', baseUrl: `${gateway.upstreamUrl}/openai/v1`, apiKey: PLANTED_KEY, routingMethod: 'openai' };
    const cases = [
      { label: 'Name', typed: { name: PROVIDER.toUpperCase(), headers: '' }, body: { ...valid, name: PROVIDER.toUpperCase() } },
      { label: 'Name', typed: { name: 'evil\u202egpj.exe', headers: '' }, body: { ...valid, name: 'evil\u202egpj.exe' } },
      { label: 'Custom headers', typed: { name: 'second', headers: 'X Bad: value' }, body: { ...valid, customHeaders: { 'X Bad': 'value' } } },
    ];
    await form.getByLabel('Base URL', { exact: true }).fill(valid.baseUrl);
    for (const { label, typed, body } of cases) {
      const answer = await api<{ error: { message: string } }>('/providers', jsonInit('POST', body));
      await form.getByLabel('Name', { exact: true }).fill(typed.name);
      await form.getByLabel('Custom headers', { exact: true }).fill(typed.headers);
      await button(form, 'Save').click();
      await expect.poll(async () => (await descriptionOf(form.getByLabel(label, { exact: true }))).at(-1)).toBe(answer.error.message);
      expect(await alertLines(form)).toEqual(['One field needs a change:', `${label}: ${answer.error.message}`]);
      await expect.poll(() => focusedName(page)).toBe(label);
    }
    await button(form, 'Cancel').click();
    await gone(form);
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

  it('imports a pasted JSON array: every entry checked first, counted from 1 everywhere, a dry run that stores nothing, then the import', async () => {
    await button(providers(), 'Import').click();
    const form = dialog('Import providers');
    const entries = form.getByLabel('Providers (JSON array)', { exact: true });
    const hint = 'Each entry as "Add provider" takes it: {"name", "baseUrl", "apiKey", "routingMethod", "customHeaders"}.';
    const batch = ['alpha', 'beta'].map((name, index) => ({ name: `imported-${name}`, baseUrl: `${gateway.upstreamUrl}/openai/v1`, apiKey: IMPORT_KEYS[index], routingMethod: 'openai' }));

    await entries.fill('{"name": "not an array"}');
    await button(form, 'Dry run').click();
    await expect.poll(() => descriptionOf(entries)).toEqual([hint, 'Paste a JSON array of providers: [{"name": …, "baseUrl": …, "apiKey": …, "routingMethod": …}]']);

    await entries.fill(JSON.stringify([batch[0], { ...batch[1], baseUrl: 'ftp://127.0.0.1/files' }, { ...batch[1], name: 'a/b', routingMethod: 'gemini' }]));
    await button(form, 'Dry run').click();
    await expect.poll(() => descriptionOf(entries)).toEqual([
      hint,
      [
        'Entry 2 (imported-beta): baseUrl: Enter a whole address starting with https:// (or http:// for a server on your own network).',
        'Entry 3 (a/b): name: A name cannot contain "/": in a model name the "/" separates the provider from the model. routingMethod: Choose the protocol the provider speaks: openai or anthropic.',
      ].join('\n'),
    ]);
    expect(await focusedName(page)).toBe('Providers (JSON array)');

    // What only the gateway knows, numbered the same way: the name is taken (its details.index is 0).
    const taken = [{ ...batch[0], name: PROVIDER }];
    expect((await api<{ error: { details: Record<string, unknown> } }>('/providers/import', jsonInit('POST', { providers: taken, dryRun: true }))).error.details).toMatchObject({ index: 0, field: 'name' });
    await entries.fill(JSON.stringify(taken));
    await button(form, 'Dry run').click();
    await expect.poll(async () => (await descriptionOf(entries)).at(-1)).toBe(
      `Entry 1 (${PROVIDER}): name: a provider with this name exists; choose "skip that entry" or "replace the stored provider" under "When a name exists" to import anyway`,
    );

    await entries.fill(JSON.stringify(batch));
    await button(form, 'Dry run').click();
    const result = form.getByRole('status', { name: 'Import result' });
    await expect.poll(() => result.innerText()).toBe('Dry run: nothing was stored.\n\nWould create 2: imported-alpha, imported-beta\nWould replace 0\nWould skip 0');
    expect((await api<{ data: ApiProvider[] }>('/providers')).data.map((provider) => provider.name)).toEqual([PROVIDER]);

    await button(form, 'Import').click();
    await expect.poll(() => result.innerText()).toBe('Imported.\n\nCreated 2: imported-alpha, imported-beta\nReplaced 0\nSkipped 0');
    expect(await entries.inputValue()).toBe('');
    expect((await api<{ data: ApiProvider[] }>('/providers')).data.map((provider) => provider.name)).toEqual([PROVIDER, 'imported-alpha', 'imported-beta']);
    await button(form, 'Close').click();
    await gone(form);
    await providerRow('imported-beta').waitFor();
    const content = await page.content();
    for (const key of [PLANTED_KEY, ...IMPORT_KEYS]) expect(content).not.toContain(key);
    await button(providerRow(PROVIDER), 'Check').click();
    await providerRow(PROVIDER).getByRole('status').getByText(/^Reachable/).waitFor();
    await screenshot(providers(), 'console-providers.png');
  });
});

describe('playground', () => {
  const answer = () => region('Answer');
  const model = () => region('Playground').getByLabel('Model', { exact: true });

  it('offers the models of GET /models', async () => {
    await open('Playground');
    const list = await api<{ data: Array<{ id: string }> }>('/models');
    await expect.poll(() => model().locator('option').allTextContents()).toEqual(list.data.map((entry) => entry.id));
    expect(list.data.map((entry) => entry.id)).toContain(`${PROVIDER}/${STREAM_MODEL}`);
  });

  it('names a provider whose model list could not be fetched, and still offers the others\' models', async () => {
    // A provider on a loopback port nothing listens on: its list fails, the connection refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const broken = await api<ApiProvider>('/providers', jsonInit('POST', { name: 'broken-local', baseUrl: `http://127.0.0.1:${port}/v1`, routingMethod: 'openai' }));
    try {
      const answer = await gateway.fetch('/models', { headers: adminHeaders });
      expect(answer.headers.get('x-gateway-model-errors')).toBe('broken-local');
      const listed = ((await answer.json()) as { data: Array<{ id: string }> }).data.map((entry) => entry.id);
      await page.reload();
      await expect.poll(() => model().locator('option').allTextContents()).toEqual(listed);
      expect(listed).toContain(`${PROVIDER}/gpt-test`);
      expect((await descriptionOf(model()))).toEqual(['The model list of broken-local could not be fetched, so its models are missing here. Providers → Check says why.']);
    } finally {
      await api(`/providers/${broken.id}`, { method: 'DELETE', headers: adminHeaders });
      await page.reload();
      await expect.poll(() => descriptionOf(model())).toEqual([]);
    }
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
    await screenshot(region('Playground'), 'console-playground.png');
  });
});

describe('access keys', () => {
  let secret: string;
  let stored: ApiKey;
  const row = () => keyRow('console-app');
  const expiry = new Date(Date.now() + 40 * DAY_MS).toISOString().slice(0, 10);

  it('checks the key form whole: every mistake at once, in plain words, focus on the first', async () => {
    await open('Keys');
    await button(keys(), 'Create key').click();
    const form = dialog('Create key');
    await form.getByLabel('Allowed models', { exact: true }).fill('gpt-4o');
    await form.getByLabel('Requests', { exact: true }).fill('lots');
    await form.getByLabel('Token budget', { exact: true }).fill('1,5');
    await form.getByLabel('Expires on (UTC)', { exact: true }).fill('2020-01-01');
    await button(form, 'Create key').click();
    await expect.poll(() => focusedName(page)).toBe('Name');
    expect(await alertLines(form)).toEqual([
      '5 fields need a change:',
      'Name: Give the key a name: who or what uses it, such as "alice" or "support-bot".',
      'Allowed models: "gpt-4o" needs its provider: write it as <provider name>/<model>, such as openai/gpt-4o*.',
      'Requests: Enter a whole number of requests, such as 60 or 1,000, or leave it empty for no limit.',
      'Token budget: Enter a whole number of tokens, such as 1,000,000, or leave it empty for no budget.',
      `Expires on (UTC): Pick a day after today (${new Date().toISOString().slice(0, 10)}, UTC), or leave it empty for a key that does not expire.`,
    ]);
    await button(form, 'Cancel').click();
    await gone(form);
    expect((await api<{ data: unknown[] }>('/keys')).data).toEqual([]);
  });

  it('creates a key scoped by provider name, with a rate limit, a budget typed as the page shows numbers, and an expiry day', async () => {
    await button(keys(), 'Create key').click();
    const form = dialog('Create key');
    await form.getByLabel('Name', { exact: true }).fill('console-app');
    await form.getByRole('group', { name: 'Allowed providers' }).getByLabel(PROVIDER, { exact: true }).check();
    await form.getByLabel('Allowed models', { exact: true }).fill(`${PROVIDER}/gpt-*`);
    await form.getByLabel('Requests', { exact: true }).fill('1,000');
    await form.getByLabel('Rate window', { exact: true }).selectOption({ label: 'per hour' });
    await form.getByLabel('Token budget', { exact: true }).fill('1,000,000');
    await form.getByLabel('Budget period', { exact: true }).selectOption({ label: 'per UTC month' });
    await form.getByLabel('Expires on (UTC)', { exact: true }).fill(expiry);
    await button(form, 'Create key').click();
    await gone(form);

    const notice = keys().getByRole('status', { name: 'New key' });
    secret = (await notice.locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^gwk_[A-Za-z0-9_-]{20,}$/);
    const providerId = (await api<{ data: ApiProvider[] }>('/providers')).data.find((provider) => provider.name === PROVIDER)!.id;
    [stored] = (await api<{ data: ApiKey[] }>('/keys')).data as [ApiKey];
    expect(stored).toMatchObject({
      name: 'console-app',
      keyHint: `gwk_…${secret.slice(-4)}`,
      providers: [providerId],
      models: [`${PROVIDER}/gpt-*`],
      rateLimit: { requests: 1000, windowMs: 3_600_000 },
      budget: { tokens: 1_000_000, period: 'month' },
      expiresAt: `${expiry}T00:00:00.000Z`,
      disabled: false,
    });
    await expect.poll(async () => (await cellTexts(row())).slice(0, 7)).toEqual([
      'console-app',
      `gwk_…${secret.slice(-4)}`,
      `providers ${PROVIDER}; models ${PROVIDER}/gpt-*`,
      '1,000 requests per hour',
      '0 of 1,000,000 tokens used this month (UTC)',
      `${expiry} 00:00 UTC`,
      'never',
    ]);
    expect(await page.content()).not.toContain(providerId);

    await button(notice, 'Copy key').click();
    await notice.getByText('Copied to the clipboard.', { exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.reload();
    await row().waitFor();
    expect(await notice.count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
  });

  it('shows the budget used and the last use (UTC) once the key has chatted', async () => {
    const chat = await gateway.fetch('/chat/completions', jsonInit('POST', { model: `${PROVIDER}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }, { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }));
    const { usage } = await chat.json();
    await button(keys(), 'Refresh').click();
    const used = usage.prompt_tokens + usage.completion_tokens;
    await expect.poll(async () => (await cellTexts(row()))[4]).toBe(`${format(used)} of 1,000,000 tokens used this month (UTC)`);
    expect(await row().getByRole('meter').getAttribute('value')).toBe(String(used));
    expect((await cellTexts(row()))[6]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  });

  it('edits the key: a new budget, no rate limit; only what changed is sent', async () => {
    const sent: unknown[] = [];
    const watch = (request: { method(): string; postDataJSON(): unknown }) => {
      if (request.method() === 'PUT') sent.push(request.postDataJSON());
    };
    page.on('request', watch);
    await button(row(), 'Edit').click();
    const form = dialog('Edit key console-app');
    expect(await form.getByLabel('Token budget', { exact: true }).inputValue()).toBe('1,000,000');
    expect(await form.getByRole('group', { name: 'Allowed providers' }).getByLabel(PROVIDER, { exact: true }).isChecked()).toBe(true);
    await form.getByLabel('Token budget', { exact: true }).fill('2,500,000');
    await form.getByLabel('Requests', { exact: true }).fill('');
    await button(form, 'Save').click();
    await gone(form);
    page.off('request', watch);
    expect(sent).toEqual([{ rateLimit: null, budget: { tokens: 2_500_000, period: 'month' } }]);
    expect(await api<ApiKey>(`/keys/${stored.id}`)).toMatchObject({ rateLimit: null, budget: { tokens: 2_500_000, period: 'month' }, providers: stored.providers, models: stored.models });
    await expect.poll(async () => (await cellTexts(row()))[3]).toBe('none');
  });

  it('disables the key (the gateway refuses it at once) and enables it again', async () => {
    const models = () => gateway.rawFetch(`${gateway.apiBase}/models`, { headers: { authorization: `Bearer ${secret}` } });
    await button(row(), 'Disable').click();
    await expect.poll(() => row().locator('.badge').allTextContents()).toEqual(['disabled']);
    expect((await api<ApiKey>(`/keys/${stored.id}`)).disabled).toBe(true);
    expect((await models()).status).toBe(401);
    await button(row(), 'Enable').click();
    await expect.poll(() => row().locator('.badge').count()).toBe(0);
    expect((await models()).status).toBe(200);
    await screenshot(keys(), 'console-keys.png');
  });

  it('deletes a key after asking', async () => {
    const doomed = await api<{ id: string; key: string }>('/keys', jsonInit('POST', { name: 'doomed' }));
    await button(keys(), 'Refresh').click();
    await button(keyRow('doomed'), 'Delete').click();
    const confirm = dialog('Delete key doomed?');
    await button(confirm, 'Delete').click();
    await gone(confirm);
    await gone(keyRow('doomed'));
    expect((await api<{ data: ApiKey[] }>('/keys')).data.map((key) => key.name)).toEqual(['console-app']);
    expect((await gateway.rawFetch(`${gateway.apiBase}/models`, { headers: { authorization: `Bearer ${doomed.key}` } })).status).toBe(401);
  });
});

describe('usage', () => {
  const usage = () => region('Usage');
  const today = () => new Date().toISOString().slice(0, 10);
  const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
  const chatAsAdmin = (content: string) => gateway.fetch('/chat/completions', jsonInit('POST', { model: `${PROVIDER}/gpt-test`, messages: [{ role: 'user', content }] }));
  const heavyMessage = `echo: ${'word '.repeat(8000).trim()}`;

  beforeAll(async () => {
    // An ordinary day two days ago, and one day (four days ago) that dwarfs every other.
    clockOffset = -2 * DAY_MS;
    for (let index = 0; index < 3; index++) await chatAsAdmin(`echo: ${'ordinary '.repeat(100).trim()}`);
    clockOffset = -4 * DAY_MS;
    await chatAsAdmin(heavyMessage);
    clockOffset = 0;
  });

  interface Row {
    day?: string;
    key?: string | null;
    provider?: string;
    providerName?: string;
    model?: string;
    requests: number;
    errors: number;
    promptTokens: number;
    completionTokens: number;
    cachedPromptTokens: number;
    cacheWriteTokens: number;
    costUsd: number;
    unpricedRequests: number;
  }
  const range = (days: number) => {
    const start = Date.parse(`${today()}T00:00:00Z`) - (days - 1) * DAY_MS;
    return `from=${new Date(start).toISOString()}&to=${new Date(Date.parse(`${today()}T00:00:00Z`) + DAY_MS).toISOString()}`;
  };
  // This provider has no price: its cost reads $0.00 and says how many requests had none (console-cost.test.ts shows priced ones).
  const cost = (row: Row) => `$${row.costUsd.toFixed(2)}${row.unpricedRequests > 0 ? ` (${format(row.unpricedRequests)} unpriced)` : ''}`;
  const figures = (row: Row) => [...[row.requests, row.errors, row.promptTokens, row.cachedPromptTokens, row.completionTokens, row.promptTokens + row.completionTokens].map(format), cost(row)];
  const totalFigures = (row: Row) => [
    ...[row.requests, row.errors, row.promptTokens, row.cachedPromptTokens, row.cacheWriteTokens, row.completionTokens, row.promptTokens + row.completionTokens].map(format),
    `$${row.costUsd.toFixed(2)}`,
    format(row.unpricedRequests),
  ];
  const shownRows = async (table: Locator, group: number) =>
    Promise.all((await table.getByRole('rowgroup').nth(group).getByRole('row').all()).map(async (row) => [await row.getByRole('rowheader').textContent(), ...(await cellTexts(row))]));

  it('shows the totals, and a table per provider with a totals row, for the last 30 UTC days ending today', async () => {
    await open('Usage');
    const [total] = (await api<{ data: Row[] }>(`/usage?${range(30)}`)).data as [Row];
    const byProvider = (await api<{ data: Row[] }>(`/usage?${range(30)}&groupBy=provider`)).data;
    expect(byProvider.map((row) => row.providerName)).toEqual([PROVIDER]);
    await expect.poll(() => usage().getByRole('definition').allTextContents()).toEqual(totalFigures(total));
    expect(await usage().getByRole('term').allTextContents()).toEqual(['Requests', 'Errors', 'Prompt tokens', 'Cached prompt tokens', 'Cache write tokens', 'Completion tokens', 'Total tokens', 'Cost', 'Unpriced requests']);
    expect(await usage().getByText(/^\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(UTC\)\./).textContent()).toBe(`${daysAgo(29)} to ${today()} (UTC). Days are UTC days; today is ${today()}.`);
    const table = usage().getByRole('table', { name: `Usage by provider, ${daysAgo(29)} to ${today()} (UTC)` });
    expect(await shownRows(table, 1)).toEqual([[PROVIDER, ...figures(byProvider[0]!)]]);
    expect(await shownRows(table, 2)).toEqual([['Total', ...figures(total)]]);
  });

  it('breaks usage down by model and by key, by name', async () => {
    await usage().getByRole('radio', { name: 'Model' }).check();
    const byModel = (await api<{ data: Row[] }>(`/usage?${range(30)}&groupBy=provider,model`)).data;
    const modelTable = usage().getByRole('table', { name: `Usage by model, ${daysAgo(29)} to ${today()} (UTC)` });
    await modelTable.waitFor();
    expect((await shownRows(modelTable, 1)).map((row) => row[0]).sort()).toEqual(byModel.map((row) => `${row.providerName}/${row.model}`).sort());

    await usage().getByRole('radio', { name: 'Key' }).check();
    const keyTable = usage().getByRole('table', { name: `Usage by key, ${daysAgo(29)} to ${today()} (UTC)` });
    await keyTable.waitFor();
    const byKey = (await api<{ data: Row[] }>(`/usage?${range(30)}&groupBy=key`)).data;
    expect((await shownRows(keyTable, 1)).map((row) => row[0]).sort()).toEqual(byKey.map((row) => (row.key === null ? 'Shared token' : 'console-app')).sort());
    await usage().getByRole('radio', { name: 'Provider' }).check();
  });

  it('draws a chart whose scale stops above the ordinary days when one day dwarfs them, and says so', async () => {
    const byDay = (await api<{ data: Row[] }>(`/usage?${range(30)}&groupBy=day`)).data;
    const tokens = (day: string) => byDay.filter((row) => row.day === day).reduce((sum, row) => sum + row.promptTokens + row.completionTokens, 0);
    const heavy = daysAgo(4);
    expect(tokens(heavy)).toBeGreaterThan(3 * tokens(daysAgo(2)));
    const chart = usage().getByRole('img', { name: `Tokens per UTC day by provider, ${daysAgo(29)} to ${today()}` });
    await chart.waitFor();
    const note = usage().getByText(/^The scale stops at/);
    expect(await note.textContent()).toMatch(new RegExp(`^The scale stops at [\\d,]+ tokens so that every day can be read\\. Past it, cut short: ${heavy} \\(${format(tokens(heavy))} tokens\\)\\.$`));
    // The ordinary day's bar is drawn tall enough to read, not flattened by the heavy one.
    const plotHeight = (await chart.boundingBox())!.height;
    const ordinary = chart.locator('rect.bar', { has: page.locator('title', { hasText: `${daysAgo(2)}, ${PROVIDER}:` }) });
    expect((await ordinary.boundingBox())!.height).toBeGreaterThan(plotHeight * 0.2);
    expect(await chart.locator('rect.bar title').allTextContents()).toEqual(
      [daysAgo(4), daysAgo(2), today()].filter((day) => tokens(day) > 0).map((day) => `${day}, ${PROVIDER}: ${format(tokens(day))} tokens`),
    );
    await screenshot(usage(), 'console-usage.png');
  });

  it('never cuts an axis label, at any width', async () => {
    for (const width of [1200, 360]) {
      await page.setViewportSize({ width, height: 900 });
      const labels = usage().locator('.usage-chart .y-axis span, .usage-chart .x-axis span');
      for (const label of await labels.all()) {
        const fits = await label.evaluate((element) => {
          const box = element.getBoundingClientRect();
          const figure = element.closest('figure')!.getBoundingClientRect();
          return element.scrollWidth <= element.clientWidth + 1 && box.left >= figure.left && box.right <= figure.right && box.width > 0;
        });
        expect(fits).toBe(true);
      }
    }
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('lists the figures per UTC day, newest first', async () => {
    await usage().getByText('Figures per day', { exact: true }).click();
    const table = usage().getByRole('table', { name: `Usage per day, ${daysAgo(29)} to ${today()} (UTC)` });
    const byDay = (await api<{ data: Row[] }>(`/usage?${range(30)}&groupBy=day`)).data;
    expect(await shownRows(table, 1)).toEqual([...byDay].reverse().map((row) => [row.day, ...figures(row)]));
  });

  it('shows a shorter range that still ends today', async () => {
    await usage().getByLabel('Range', { exact: true }).selectOption({ label: 'Last 7 days, to today' });
    await usage().getByRole('table', { name: `Usage by provider, ${daysAgo(6)} to ${today()} (UTC)` }).waitFor();
  });
});

describe('connect your app', () => {
  let accessKey: string;

  beforeAll(async () => {
    accessKey = (await api<{ key: string }>('/keys', jsonInit('POST', { name: 'snippets' }))).key;
  });

  it('shows the base URL and a snippet per client, with an access key from the environment, never the admin token', async () => {
    await open('Connect');
    const view = region('Connect your app');
    expect(await view.locator('code').first().textContent()).toBe(gateway.apiBase);
    expect(await view.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['OpenAI SDK', 'Anthropic SDK', 'AI SDK', 'curl', 'Claude Code', 'Codex']);
    const text = await view.innerText();
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text).toContain(`ANTHROPIC_BASE_URL='${origin}/api'`);
    expect(text).toContain(`[model_providers.llm-gateway]\nname = "LLM Gateway"\nbase_url = "${gateway.apiBase}"\nenv_key = "LLM_GATEWAY_KEY"\nwire_api = "responses"`);
    await screenshot(view, 'console-connect.png');
  });

  async function copied(title: string): Promise<string> {
    const view = region('Connect your app');
    await view.getByRole('button', { name: `Copy ${title}`, exact: true }).click();
    await view.getByRole('region', { name: title, exact: true }).getByRole('status').getByText('Copied.').waitFor();
    return page.evaluate(() => navigator.clipboard.readText());
  }

  it('copies a curl command that works as it is, given an access key', async () => {
    const command = await copied('curl');
    const { stdout } = await run('bash', ['-c', command], { env: { PATH: process.env.PATH, LLM_GATEWAY_KEY: accessKey } });
    const answer = JSON.parse(stdout);
    expect([answer.object, answer.choices[0].message.content]).toEqual(['chat.completion', HELLO_TEXT]);
  });

  it('copies OpenAI SDK and AI SDK code that runs as it is, given an access key', async () => {
    await region('Connect your app').getByLabel('Model for the examples', { exact: true }).selectOption(`${PROVIDER}/gpt-4o-mini`);
    for (const title of ['OpenAI SDK', 'AI SDK']) {
      const code = await copied(title);
      expect(code).toContain(`"${PROVIDER}/gpt-4o-mini"`);
      // Run from the project, where the SDKs are installed; it prints the answer's text.
      const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', code], { cwd: new URL('../..', import.meta.url).pathname, env: { PATH: process.env.PATH, LLM_GATEWAY_KEY: accessKey } });
      expect(stdout.trim()).toBe(HELLO_TEXT);
    }
  });
});

describe('a provider named in Japanese', () => {
  it('is added through the form, listed, and named as the one that served an answer in the playground', async () => {
    const name = '日本語プロバイダ';
    await open('Providers');
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
    await open('Playground');
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
  it('fits a phone\'s width without sideways scrolling, every view and a dialog included', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    for (const view of ['Providers', 'Playground', 'Keys', 'Usage', 'Logs', 'Connect']) {
      await open(view);
      await page.locator('.view-heading').waitFor();
      expect(await scrollsSideways(page)).toBe(false);
    }
    await open('Providers');
    await button(providers(), 'Import').click();
    await dialog('Import providers').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    expect(await dialog('Import providers').evaluate((element) => element.getBoundingClientRect().right <= window.innerWidth)).toBe(true);
    await page.keyboard.press('Escape');
    await gone(dialog('Import providers'));
  });

  it('writes phone-width screenshots in the dark scheme', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(13, 17, 23)');
    await screenshot(page, 'console-phone-dark-providers.png');
    await open('Usage');
    await region('Usage').getByRole('img').waitFor();
    await screenshot(page.locator('main'), 'console-phone-dark-usage.png');
    await open('Keys');
    // At this width each row is a card whose cells carry their column's name (CSS content), so the row is not found by its name alone.
    await keys().getByRole('table').getByText('console-app', { exact: true }).waitFor();
    await screenshot(page.locator('main'), 'console-phone-dark-keys.png');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('met no refusal from the gateway once connected', () => {
    expect(refused).toEqual([]);
  });

  it('needs no token from a gateway that needs none, and shows a failed load where it happened', async () => {
    const openGateway = await startTarget({ API_AUTH_TOKEN: undefined, ADMIN_TOKEN: undefined });
    const openOrigin = new URL(openGateway.apiBase).origin;
    ownOrigins.add(openOrigin);
    const tab = await browser.open(openOrigin);
    try {
      await tab.getByRole('heading', { name: 'Providers', exact: true }).waitFor();
      expect(await tab.getByLabel('Access token', { exact: true }).count()).toBe(0);
      expect(await tab.getByRole('button', { name: 'Disconnect', exact: true }).count()).toBe(0);
      expect(await tab.locator('.caller').textContent()).toBe('Connected as Admin');
      expect(await storedState(tab)).toEqual({ session: {}, local: {}, cookie: '' });

      await openGateway.close();
      const openProviders = tab.getByRole('region', { name: 'Providers', exact: true });
      await openProviders.getByRole('button', { name: 'Refresh', exact: true }).click();
      await expect.poll(() => openProviders.getByRole('alert').textContent()).toBe(`Could not reach the gateway (GET ${openGateway.apiBase}/providers)`);
      // Providers, Playground, Keys, Routes, Usage, Logs, Connect.
      expect(await tab.getByRole('navigation', { name: 'Views' }).getByRole('link').count()).toBe(7);
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
      await tab.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Logs', exact: true }).click();
      const logs = tab.getByRole('region', { name: 'Logs', exact: true });
      await logs.getByRole('table').or(logs.getByText('No requests recorded yet.', { exact: true })).waitFor();
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
