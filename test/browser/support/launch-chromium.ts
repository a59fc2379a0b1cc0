import { chromium, type Browser, type BrowserContext } from 'playwright-core';

// Debian's Chromium, headless, quiet, and locked to loopback: every name but 127.0.0.1 fails to
// resolve, and anything not on loopback goes to a proxy on the discard port, where it dead-ends
// (Chromium never proxies loopback). Every request a page makes is recorded.

export const CHROMIUM_PATH = '/usr/bin/chromium';

const QUIET = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const LOOPBACK_ONLY = ['--proxy-server=127.0.0.1:9', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];

export interface BrowserRequest {
  method: string;
  url: string;
  /** As the page asked for them (lower-case names). */
  headers: Record<string, string>;
}

export interface Chromium {
  context: BrowserContext;
  /** Every request any page of the context made, in order. */
  requests: BrowserRequest[];
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...QUIET, ...LOOPBACK_ONLY] });
  const context = await browser.newContext();
  const requests: BrowserRequest[] = [];
  context.on('request', (request) => requests.push({ method: request.method(), url: request.url(), headers: request.headers() }));
  return { context, requests, close: () => browser.close() };
}
