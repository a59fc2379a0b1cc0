import type { Locator, Page } from 'playwright-core';
import { launchChromium, type Chromium } from './launch-chromium.ts';

// The console as a person meets it: Chromium (locked to loopback, every request recorded) showing
// the page a gateway serves at /, and helpers that read the page the way assistive technology
// does, by role, label and description.

export interface ConsoleBrowser {
  chromium: Chromium;
  /** A new tab on the console of the gateway at this origin (a fresh sessionStorage). */
  open(origin: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** Every origin Chromium sent a request to, sorted. */
  requestedOrigins(): string[];
  close(): Promise<void>;
}

export async function startConsoleBrowser(): Promise<ConsoleBrowser> {
  const chromium = await launchChromium();
  return {
    chromium,
    async open(origin, viewport = { width: 1200, height: 900 }) {
      const page = await chromium.context.newPage();
      await page.setViewportSize(viewport);
      await page.goto(`${origin}/`);
      return page;
    },
    requestedOrigins: () => [...new Set(chromium.requests.map((request) => new URL(request.url).origin))].sort(),
    close: () => chromium.close(),
  };
}

/** The texts a control's aria-describedby points at, in order: its hint, then its error. */
export function descriptionOf(control: Locator): Promise<string[]> {
  return control.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id !== '')
      .map((id) => document.getElementById(id)?.textContent ?? `(missing #${id})`),
  );
}

/** The text of each cell of a row, in order. */
export function cellTexts(row: Locator): Promise<string[]> {
  return row.getByRole('cell').allTextContents();
}

/** Where a page keeps state: the token must be in sessionStorage and nowhere else. */
export function storedState(page: Page): Promise<{ session: Record<string, string>; local: Record<string, string>; cookie: string }> {
  return page.evaluate(() => ({ session: { ...sessionStorage }, local: { ...localStorage }, cookie: document.cookie }));
}

/** The element that has the keyboard focus, by its accessible label or its text. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (element === null) return '';
    const labels = (element as HTMLInputElement).labels;
    if (labels && labels.length > 0) return labels[0]!.textContent ?? '';
    return element.textContent ?? '';
  });
}

/** Whether the document scrolls sideways at the current viewport. */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** Every answer from the gateway's API a page got with this status (a refused call), as "METHOD path". */
export function watchRefusals(page: Page, statuses: readonly number[] = [401, 403]): string[] {
  const refused: string[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/') && statuses.includes(response.status())) refused.push(`${response.request().method()} ${url.pathname} ${response.status()}`);
  });
  return refused;
}

/** Connects the console with a token, and waits for the navigation of the connected console. */
export async function connectWith(page: Page, token: string): Promise<void> {
  await page.getByLabel('Access token', { exact: true }).fill(token);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
}

/** The names of the navigation's links, in order, and the one marked as the current page. */
export async function navigation(page: Page): Promise<{ views: string[]; current: string }> {
  const nav = page.getByRole('navigation', { name: 'Views' });
  return { views: await nav.getByRole('link').allTextContents(), current: (await nav.locator('[aria-current="page"]').textContent()) ?? '' };
}

/**
 * What assistive technology is told by the page's live regions (role alert or status, or
 * aria-live), read from Chromium's accessibility tree over the DevTools protocol: each region's
 * role, politeness (the tree's `live` property, which only a region's root carries) and text,
 * for regions that hold text. Hidden regions are not in the tree.
 */
export async function liveRegions(page: Page): Promise<Array<{ role: string; live: string; text: string }>> {
  const session = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await session.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
    const byId = new Map(nodes.map((node) => [node.nodeId, node]));
    const textOf = (node: AxNode): string[] =>
      node.role?.value === 'StaticText' ? [String(node.name?.value ?? '')] : (node.childIds ?? []).flatMap((id) => (byId.has(id) ? textOf(byId.get(id)!) : []));
    return nodes.flatMap((node) => {
      const live = node.properties?.find((property) => property.name === 'live');
      if (node.ignored || live === undefined) return [];
      const text = textOf(node).join(' ').trim();
      return text === '' ? [] : [{ role: String(node.role?.value ?? ''), live: String(live.value.value), text }];
    });
  } finally {
    await session.detach();
  }
}

interface AxNode {
  nodeId: string;
  ignored?: boolean;
  role?: { value: string };
  name?: { value: string };
  properties?: Array<{ name: string; value: { value: unknown } }>;
  childIds?: string[];
}
