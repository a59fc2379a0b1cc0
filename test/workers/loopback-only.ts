import { afterAll, expect } from 'vitest';

// Loaded before every workerd test file. The Worker under test runs in the same isolate as the
// tests and takes the global fetch when its app is built, so wrapping it here guards the Worker's
// own upstream calls too: any request to a host other than loopback is refused and recorded, and
// the file fails.

const violations: string[] = [];

function isLoopback(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

const originalFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input);
  if (!isLoopback(url.hostname)) {
    violations.push(`fetch(${url.origin})`);
    return Promise.reject(new TypeError(`test guard: request to ${url.origin} refused (loopback only)`));
  }
  return originalFetch(input, init);
};

afterAll(() => {
  expect(violations, 'non-loopback network access attempted').toEqual([]);
});
