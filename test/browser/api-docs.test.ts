import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness.ts';

// GET /api/v1/docs in Chromium: Swagger UI renders every operation of the gateway's document from
// files the gateway serves itself, with nothing blocked by the page's policy and no request to any
// other origin (Chromium here cannot reach one anyway, but it would still try, and be recorded).

let harness: BrowserHarness;
let page: Page;
const problems: string[] = [];
let operationCount: number;

beforeAll(async () => {
  harness = await startBrowserHarness({ bundles: [] });
  const document = (await (await harness.gateway.fetch('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  operationCount = Object.values(document.paths).reduce((count, methods) => count + Object.keys(methods).length, 0);
  page = await harness.page.context().newPage();
  // A CSP refusal or a failed load shows up as a console error; a script failure as a page error.
  page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  await page.goto(`${harness.gateway.apiBase}/docs`);
  await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
});
afterAll(() => harness?.close());

it('renders every operation of the document, offline', async () => {
  expect(await page.locator('.opblock').count()).toBe(operationCount);
  await expect.poll(() => page.locator('.opblock-summary-path').allInnerTexts()).toContain('/api/v1/chat/completions');
  expect(await page.locator('.errors-wrapper').count()).toBe(0);
  expect(await page.title()).toBe('llm-gateway API reference');
});

it('shows an operation\'s request body, error answers and schemas when opened', async () => {
  await page.locator('#operations-Chat-createChatCompletion .opblock-summary').click();
  const operation = page.locator('#operations-Chat-createChatCompletion');
  await operation.locator('.opblock-body').waitFor();
  await expect.poll(() => operation.locator('.responses-table tr.response > td.response-col_status').allInnerTexts()).toEqual(['200', '400', '401', '403', '404', '413', '429', '500', '502', '503', '504']);
  expect(await operation.locator('.opblock-section-request-body').count()).toBe(1);
});

it('loads nothing from another origin and nothing its policy blocks', () => {
  expect(problems).toEqual([]);
  const gatewayOrigin = new URL(harness.gateway.apiBase).origin;
  const fromDocs = harness.requests().filter((request) => !request.url.startsWith(harness.pageOrigin));
  expect([...new Set(fromDocs.map((request) => new URL(request.url).origin))]).toEqual([gatewayOrigin]);
  expect([...new Set(fromDocs.map((request) => new URL(request.url).pathname))].sort()).toEqual([
    '/api/v1/docs',
    '/api/v1/openapi.json',
    '/docs/favicon-32x32.png',
    '/docs/start-swagger-ui.js',
    '/docs/swagger-ui-bundle.js',
    '/docs/swagger-ui.css',
  ]);
});
