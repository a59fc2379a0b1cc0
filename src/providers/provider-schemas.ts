import * as z from 'zod';
import type { Provider } from '../api/providers.ts';
import { routingMethods, type StoredProvider } from '../storage/provider-store.ts';

// Request bodies for provider management, and the public view of a provider, which never
// carries the key in any form.

// RFC 9110 token characters.
const headerNamePattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Header values may not smuggle a second header or truncate one.
const headerValuePattern = /^[^\r\n\0]*$/;

// Hop-by-hop headers, headers the proxy owns (auth, length, host) and headers a CDN or a proxy
// trusts (cf-*, x-forwarded-*): a provider's customHeaders may set none of them.
const forbiddenHeaderNames = new Set([
  'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te',
  'trailer', 'expect', 'cookie', 'set-cookie', 'authorization', 'x-api-key', 'api-key',
  'anthropic-version', 'content-type', 'accept-encoding', 'forwarded', 'x-real-ip',
  '__proto__', 'constructor', 'prototype',
]);
const forbiddenHeaderPrefixes = ['proxy-', 'x-forwarded-', 'cf-', 'sec-'];

export function isForbiddenHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return forbiddenHeaderNames.has(lower) || forbiddenHeaderPrefixes.some((prefix) => lower.startsWith(prefix));
}

const customHeadersSchema = z
  .record(
    z.string()
      .max(256)
      .regex(headerNamePattern, 'header names must be HTTP tokens')
      .refine((name) => !isForbiddenHeaderName(name), 'this header is set by the proxy or is hop-by-hop and cannot be customised'),
    z.string().max(8192).regex(headerValuePattern, 'header values may not contain CR, LF or NUL'),
  )
  .refine((headers) => Object.keys(headers).length <= 32, 'at most 32 custom headers');

const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((name) => !name.includes('/'), 'must not contain "/": the part of a model before the first "/" names the provider');

const baseUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))
  .transform((url) => url.replace(/\/+$/, ''));

// Upstream keys are long opaque strings; a generous cap keeps a body from storing megabytes.
const apiKeySchema = z.string().min(1).max(4096).refine((key) => key.trim() === key && !/[\r\n\0]/.test(key), 'must not contain surrounding whitespace, CR, LF or NUL');

export const createProviderSchema = z.strictObject({
  name: nameSchema,
  baseUrl: baseUrlSchema,
  apiKey: apiKeySchema,
  routingMethod: z.enum(routingMethods),
  customHeaders: customHeadersSchema.optional(),
});

export const updateProviderSchema = z
  .strictObject({
    name: nameSchema,
    baseUrl: baseUrlSchema,
    apiKey: apiKeySchema,
    routingMethod: z.enum(routingMethods),
    customHeaders: customHeadersSchema,
  })
  .partial();

export type CreateProviderInput = z.infer<typeof createProviderSchema>;
export type UpdateProviderInput = z.infer<typeof updateProviderSchema>;

export type PublicProvider = Provider;

/** Built field by field (an allow-list), so nothing added to the stored record can leak by accident. */
export function toPublicProvider(provider: StoredProvider): PublicProvider {
  return {
    id: provider.id,
    name: provider.name,
    baseUrl: provider.baseUrl,
    routingMethod: provider.routingMethod,
    customHeaders: provider.customHeaders,
    apiKeyHint: provider.apiKeyHint,
    createdAt: provider.createdAt,
    updatedAt: provider.updatedAt,
  };
}

/** At most the last 4 characters, and fewer for short keys so a hint never reveals most of one. */
export function makeApiKeyHint(apiKey: string): string {
  const visible = apiKey.length >= 16 ? 4 : apiKey.length >= 8 ? 2 : 0;
  return `…${apiKey.slice(apiKey.length - visible)}`;
}
