// What a provider's customHeaders may hold, checked when a provider is saved and again when its
// headers are built for a call (a data file edited by hand, or a KV value written by an older
// version, never passed the first check).

// RFC 9110 §5.6.2: a field name is a token.
const headerNamePattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

// RFC 9110 §5.5: field-value = *field-content, where field-content is field-vchar, optionally
// followed by SP / HTAB / field-vchar and ending in a field-vchar: visible characters with spaces
// and tabs only inside, none before or after. obs-text (0x80-0xFF) is refused although the grammar
// still lists it: the RFC says senders should not generate it, and both runtimes' clients would
// send a character such as "é" as one Latin-1 byte, not the UTF-8 its author meant.
const headerValuePattern = /^(?:[\x21-\x7e](?:[\x20\x09\x21-\x7e]*[\x21-\x7e])?)?$/;

export const HEADER_VALUE_RULE = 'header values may hold only visible ASCII characters, with spaces and tabs inside but not at either end';

// Hop-by-hop headers, headers the proxy owns (auth, length, host) and headers a CDN or a proxy
// trusts (cf-*, x-forwarded-*): a provider's customHeaders may set none of them.
const forbiddenHeaderNames = new Set([
  'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te',
  'trailer', 'expect', 'cookie', 'set-cookie', 'authorization', 'x-api-key', 'api-key',
  'anthropic-version', 'content-type', 'accept-encoding', 'forwarded', 'x-real-ip',
  '__proto__', 'constructor', 'prototype',
]);
const forbiddenHeaderPrefixes = ['proxy-', 'x-forwarded-', 'cf-', 'sec-'];

export function isHeaderName(name: string): boolean {
  return headerNamePattern.test(name);
}

export function isHeaderValue(value: string): boolean {
  return headerValuePattern.test(value);
}

export function isForbiddenHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return forbiddenHeaderNames.has(lower) || forbiddenHeaderPrefixes.some((prefix) => lower.startsWith(prefix));
}
