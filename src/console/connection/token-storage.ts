// The access token lives in this tab's sessionStorage only: it goes when the tab closes, and no
// other tab, cookie or localStorage entry ever holds it. A browser that refuses storage (a
// privacy mode) still works for the page's lifetime, from memory.

const TOKEN_ENTRY = 'llm-gateway.console.token';
let fallback: string | undefined;

export function readToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_ENTRY) ?? undefined;
  } catch {
    return fallback;
  }
}

export function saveToken(token: string): void {
  try {
    sessionStorage.setItem(TOKEN_ENTRY, token);
  } catch {
    fallback = token;
  }
}

export function forgetToken(): void {
  fallback = undefined;
  try {
    sessionStorage.removeItem(TOKEN_ENTRY);
  } catch {
    // Nothing was stored.
  }
}
