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
