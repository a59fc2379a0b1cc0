import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, CLIENT_TOKEN, ENCRYPTION_KEY } from '../support/target.ts';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness.ts';
import { startWranglerDev, type WranglerDev } from './support/wrangler-dev.ts';

// GET /api/v1/docs in Chromium, on the Node server and on the Worker under `wrangler dev` (its
// files from the static assets, the page and the document from the Worker): Swagger UI renders
// every operation of the gateway's document from files the gateway serves itself, with nothing
// blocked by the page's policy and no request to any other origin (Chromium here cannot reach
// one anyway, but it would still try, and be recorded).

let harness: BrowserHarness;
let worker: WranglerDev;

beforeAll(async () => {
  [harness, worker] = await Promise.all([
    startBrowserHarness({ bundles: [] }),
    startWranglerDev({ PROVIDER_ENCRYPTION_KEY: ENCRYPTION_KEY, API_AUTH_TOKEN: CLIENT_TOKEN, ADMIN_TOKEN, LOG_LEVEL: 'warn' }),
  ]);
}, 90_000);
afterAll(async () => {
  await harness?.close();
  await worker?.close();
});

const origins = { node: () => new URL(harness.gateway.apiBase).origin, workers: () => worker.origin };

describe.each(Object.keys(origins) as (keyof typeof origins)[])('on %s', (runtime) => {
  let page: Page;
  let origin: string;
  let operationCount: number;
  const problems: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    origin = origins[runtime]();
    const document = (await (await fetch(`${origin}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    operationCount = Object.values(document.paths).reduce((count, methods) => count + Object.keys(methods).length, 0);
    page = await harness.page.context().newPage();
    // A CSP refusal or a failed load shows up as a console error; a script failure as a page error.
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${origin}/api/v1/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
  });
  afterAll(() => page?.close());

  it('renders every operation of the document, offline', async () => {
    expect(await page.locator('.opblock').count()).toBe(operationCount);
    await expect.poll(() => page.locator('.opblock-summary-path').allInnerTexts()).toContain('/api/v1/chat/completions');
    expect(await page.locator('.errors-wrapper').count()).toBe(0);
    expect(await page.title()).toBe('llm-gateway API reference');
  });

  it('shows an operation\'s request body and every answer when opened', async () => {
    await page.locator('#operations-Chat-createChatCompletion .opblock-summary').click();
    const operation = page.locator('#operations-Chat-createChatCompletion');
    await operation.locator('.opblock-body').waitFor();
    await expect.poll(() => operation.locator('.responses-table tr.response > td.response-col_status').allInnerTexts()).toEqual(['200', '400', '401', '403', '404', '413', '422', '429', '500', '502', '503', '504']);
    expect(await operation.locator('.opblock-section-request-body').count()).toBe(1);
  });

  it('fills "Try it out" with the schema\'s example, not a body built from the types', async () => {
    const document = (await (await fetch(`${origin}/api/v1/openapi.json`)).json()) as { components: { schemas: Record<string, { example?: unknown }> } };
    for (const [id, schema] of [['#operations-Chat-createChatCompletion', 'ChatCompletionRequest'], ['#operations-Providers-createProvider', 'ProviderInput']] as const) {
      const operation = page.locator(id);
      if ((await operation.locator('.opblock-body').count()) === 0) await operation.locator('.opblock-summary').click();
      await operation.locator('.try-out__btn').click();
      const body = await operation.locator('textarea.body-param__text').inputValue();
      expect(JSON.parse(body)).toEqual(document.components.schemas[schema]!.example);
      expect(body).not.toMatch(/"string"|additionalProp/);
    }
  });

  it('loads nothing from another origin and nothing its policy blocks', () => {
    expect(problems).toEqual([]);
    expect([...new Set(requested.map((url) => new URL(url).origin))]).toEqual([origin]);
    expect([...new Set(requested.map((url) => new URL(url).pathname))].sort()).toEqual([
      '/api/v1/docs',
      '/api/v1/openapi.json',
      '/docs/favicon-32x32.png',
      '/docs/start-swagger-ui.js',
      '/docs/swagger-ui-bundle.js',
      '/docs/swagger-ui.css',
    ]);
    // And nothing else in the browser either, whatever page made it.
    expect(harness.requestedOrigins().filter((each) => each !== worker.origin && !harness.ownOrigins().includes(each))).toEqual([]);
  });
});
