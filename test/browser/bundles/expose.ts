// What a bundle puts on the page: its functions under window.gatewayTest[<bundle name>], for
// page.evaluate to call (test/browser/support/browser-harness.ts).

declare global {
  interface Window {
    gatewayTest?: Record<string, Record<string, (...args: never[]) => unknown>>;
  }
}

export function expose(name: string, api: Record<string, (...args: never[]) => unknown>): void {
  window.gatewayTest ??= {};
  window.gatewayTest[name] = api;
}
