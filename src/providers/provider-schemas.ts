import * as z from 'zod';
import { displayNameSchema } from '../api/display-name-schema.ts';
import { providerPricingSchema } from '../api/pricing.ts';
import type { Provider } from '../api/providers.ts';
import { routingMethods, type StoredProvider } from '../storage/provider-store.ts';
import { HEADER_VALUE_RULE, isForbiddenHeaderName, isHeaderName, isHeaderValue } from './custom-header-rules.ts';

// Request bodies for provider management, and the public view of a provider, which never
// carries the key in any form.

const customHeadersSchema = z
  .record(
    z.string()
      .max(256)
      .refine(isHeaderName, 'header names must be HTTP tokens')
      .refine((name) => !isForbiddenHeaderName(name), 'this header is set by the proxy or is hop-by-hop and cannot be customised'),
    z.string().max(8192).refine(isHeaderValue, HEADER_VALUE_RULE),
  )
  .refine((headers) => Object.keys(headers).length <= 32, 'at most 32 custom headers');

const nameSchema = displayNameSchema(64).refine((name) => !name.includes('/'), 'must not contain "/": the part of a model before the first "/" names the provider');

const baseUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))
  .transform((url) => url.replace(/\/+$/, ''));

// Upstream keys are long opaque strings; a generous cap keeps a body from storing megabytes.
const apiKeySchema = z.string().min(1).max(4096).refine((key) => key.trim() === key && !/[\r\n\0]/.test(key), 'must not contain surrounding whitespace, CR, LF or NUL');

export const createProviderSchema = z
  .strictObject({
    name: nameSchema,
    baseUrl: baseUrlSchema,
    // Absent for a server that needs none (Ollama, vLLM, LM Studio): no credential header is sent.
    apiKey: apiKeySchema.optional(),
    routingMethod: z.enum(routingMethods),
    customHeaders: customHeadersSchema.optional(),
    /** An `openai` provider that serves the Responses API itself (OpenAI): POST /responses is passed to it as it is. */
    responsesApi: z.boolean().optional(),
    /** Prices per model pattern ("gpt-4o*"), US dollars per million tokens; the longest matching pattern wins over the price catalogue. */
    pricing: providerPricingSchema.optional(),
  });

export const updateProviderSchema = z
  .strictObject({
    name: nameSchema,
    baseUrl: baseUrlSchema,
    /** null removes the stored key. */
    apiKey: apiKeySchema.nullable(),
    routingMethod: z.enum(routingMethods),
    customHeaders: customHeadersSchema,
    responsesApi: z.boolean(),
    /** Replaces the whole table; null or {} removes it. */
    pricing: providerPricingSchema.nullable(),
  })
  .partial();

export type CreateProviderInput = z.infer<typeof createProviderSchema>;
export type UpdateProviderInput = z.infer<typeof updateProviderSchema>;

export type PublicProvider = Provider;

/**
 * Built field by field (an allow-list), so nothing added to the stored record can leak by accident.
 * Custom header values may be secrets: in full only for a management caller (`reveal`), otherwise
 * masked as the key's hint is.
 */
export function toPublicProvider(provider: StoredProvider, reveal: boolean): PublicProvider {
  return {
    id: provider.id,
    name: provider.name,
    baseUrl: provider.baseUrl,
    routingMethod: provider.routingMethod,
    customHeaders: reveal ? provider.customHeaders : Object.fromEntries(Object.entries(provider.customHeaders).map(([name, value]) => [name, makeApiKeyHint(value)])),
    ...(provider.responsesApi === true ? { responsesApi: true as const } : {}),
    ...(provider.pricing !== undefined && Object.keys(provider.pricing).length > 0 ? { pricing: provider.pricing } : {}),
    apiKeyHint: provider.apiKeyHint,
    createdAt: provider.createdAt,
    updatedAt: provider.updatedAt,
  };
}

/** At most the last 4 characters, and fewer for short keys (or header values) so a hint never reveals most of one. */
export function makeApiKeyHint(apiKey: string): string {
  const visible = apiKey.length >= 16 ? 4 : apiKey.length >= 8 ? 2 : 0;
  return `…${apiKey.slice(apiKey.length - visible)}`;
}
