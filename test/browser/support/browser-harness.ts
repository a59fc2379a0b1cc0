import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { startTarget, type NodeTarget } from '../../support/node-target.ts';
import type { BundleApis, BundleName } from './bundles.ts';
import { launchChromium, type BrowserRequest, type Chromium } from './launch-chromium.ts';
import { pageUrl, startPageServer, type PageServer } from './page-server.ts';

// One browser test file's world: a page server (the page's origin), the real Node gateway that
// allows that origin, and Chromium showing the page with the bundles the file asked for. More
// gateways (other settings) and pages on origins no gateway allows can be added; close() stops all.

type Api<B extends BundleName> = BundleApis[B];
type Exposed<B extends BundleName, F extends keyof Api<B>> = Api<B>[F] extends (...args: infer A) => infer R ? (...args: A) => R : never;

export interface BrowserHarness {
  /** The first gateway, started with the page's origin in ALLOWED_ORIGINS. */
  gateway: NodeTarget;
  pageOrigin: string;
  page: Page;
  /** Calls a function a bundle exposed, inside the page. */
  call<B extends BundleName, F extends keyof Api<B> & string>(bundle: B, fn: F, ...args: Parameters<Exposed<B, F>>): Promise<Awaited<ReturnType<Exposed<B, F>>>>;
  /** Another gateway that allows the page's origin, with its own settings. */
  startGateway(overrides: Record<string, string>): Promise<NodeTarget>;
  /** A page with these bundles, served from an origin no gateway allows. */
  openRefusedPage(bundles: readonly BundleName[]): Promise<{ origin: string; page: Page }>;
  /** Every request Chromium made, in order. */
  requests(): BrowserRequest[];
  /** Every origin Chromium sent a request to, sorted. */
  requestedOrigins(): string[];
  /** The origins of every page server and gateway started so far, sorted. */
  ownOrigins(): string[];
  close(): Promise<void>;
}

export function callInPage<B extends BundleName, F extends keyof Api<B> & string>(
  page: Page,
  bundle: B,
  fn: F,
  ...args: Parameters<Exposed<B, F>>
): Promise<Awaited<ReturnType<Exposed<B, F>>>> {
  return page.evaluate(
    ({ bundle, fn, args }) => {
      const exposed = window.gatewayTest?.[bundle]?.[fn];
      if (exposed === undefined) throw new Error(`bundle ${bundle} exposes no ${fn}`);
      return exposed(...(args as never[]));
    },
    { bundle, fn, args: args as unknown[] },
  ) as Promise<Awaited<ReturnType<Exposed<B, F>>>>;
}

export interface BrowserHarnessOptions {
  /** The bundles the page loads (only those: each costs parse time). */
  bundles: readonly BundleName[];
  /** Settings of the first gateway on top of the behaviour suite's. */
  gateway?: Record<string, string>;
}

export async function startBrowserHarness(options: BrowserHarnessOptions): Promise<BrowserHarness> {
  const bundleFolder = inject('browserBundleFolder');
  const pageServers: PageServer[] = [await startPageServer(bundleFolder)];
  const pageOrigin = pageServers[0]!.origin;
  const gateways: NodeTarget[] = [];
  const startGateway = async (overrides: Record<string, string>) => {
    const gateway = await startTarget({ ALLOWED_ORIGINS: pageOrigin, ...overrides });
    gateways.push(gateway);
    return gateway;
  };
  const stopServers = () => Promise.all([...gateways.map((each) => each.close()), ...pageServers.map((server) => server.close())]);
  let chromium: Chromium | undefined;
  const openPage = async (browser: Chromium, origin: string, bundles: readonly BundleName[]) => {
    const page = await browser.context.newPage();
    await page.goto(pageUrl(origin, bundles));
    return page;
  };
  let gateway: NodeTarget;
  let page: Page;
  try {
    gateway = await startGateway(options.gateway ?? {});
    chromium = await launchChromium();
    page = await openPage(chromium, pageOrigin, options.bundles);
  } catch (error) {
    // Nothing is left running when the file's beforeAll fails (afterAll has no harness to close).
    await chromium?.close();
    await stopServers();
    throw error;
  }
  const browser = chromium;

  return {
    gateway,
    pageOrigin,
    page,
    call: (bundle, fn, ...args) => callInPage(page, bundle, fn, ...args),
    startGateway,
    async openRefusedPage(bundles) {
      const server = await startPageServer(bundleFolder);
      pageServers.push(server);
      return { origin: server.origin, page: await openPage(browser, server.origin, bundles) };
    },
    requests: () => browser.requests,
    requestedOrigins: () => [...new Set(browser.requests.map((request) => new URL(request.url).origin))].sort(),
    ownOrigins: () => [...pageServers.map((server) => server.origin), ...gateways.map((each) => new URL(each.apiBase).origin)].sort(),
    async close() {
      await browser.close();
      await stopServers();
    },
  };
}
