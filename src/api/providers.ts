import * as z from 'zod';
import { providerPricingSchema } from './pricing.ts';
import { routingMethods } from '../storage/provider-store.ts';

// What the provider routes answer. The request bodies (createProviderSchema,
// updateProviderSchema) live with their save-time rules in src/providers/provider-schemas.ts.

export const providerSchema = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  routingMethod: z.enum(routingMethods),
  customHeaders: z.record(z.string(), z.string()),
  /** Present (true) when the provider serves OpenAI's Responses API itself. */
  responsesApi: z.literal(true).optional(),
  /** The operator's prices per model pattern, US dollars per million tokens; absent: the price catalogue's. */
  pricing: providerPricingSchema.optional(),
  /** At most the key's last 4 characters; null when the provider has no key (none is sent). */
  apiKeyHint: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type Provider = z.infer<typeof providerSchema>;

export const providerListSchema = z.object({ data: z.array(providerSchema) });

const checkErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const circuitStates = ['closed', 'open', 'half-open'] as const;
export type CircuitState = (typeof circuitStates)[number];

export const providerHealthSchema = z.object({
  status: z.enum(['ok', 'error']),
  latencyMs: z.number(),
  checkedAt: z.string(),
  error: checkErrorSchema.optional(),
  circuit: z.enum(circuitStates),
});

export type ProviderHealth = z.infer<typeof providerHealthSchema>;

export const providerTestBodySchema = z.strictObject({ model: z.string().min(1).max(512).optional() });

export const providerTestResultSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number(),
  error: checkErrorSchema.optional(),
});

export type ProviderTestResult = z.infer<typeof providerTestResultSchema>;

export const providerModelsSchema = z.object({
  data: z.array(z.looseObject({ id: z.string() })),
  cached: z.boolean(),
  fetchedAt: z.string(),
});

export type ProviderModels = z.infer<typeof providerModelsSchema>;
