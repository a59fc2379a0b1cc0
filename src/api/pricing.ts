import * as z from 'zod';
import { MAX_PATTERN_STARS } from './access-keys.ts';

// A provider's own prices (contract v1.2, "Cost"): `pricing: {"<model pattern>": {input, output,
// cachedInput?, cacheWrite?}}`, US dollars per million tokens. `*` in a pattern matches any run of
// characters; the longest matching pattern wins. They come before the price catalogue.

const rate = z.number().finite().min(0).max(1_000_000);

export const tokenRatesSchema = z.strictObject({
  /** Uncached prompt tokens. */
  input: rate,
  /** Completion tokens, reasoning tokens included. */
  output: rate,
  /** Prompt tokens read from the provider's cache; the input rate when absent. */
  cachedInput: rate.optional(),
  /** Prompt tokens written to the provider's cache; the input rate when absent. */
  cacheWrite: rate.optional(),
});

export type TokenRates = z.infer<typeof tokenRatesSchema>;

const pricingPatternSchema = z
  .string()
  .min(1)
  .max(256)
    // As many as an access key's pattern: each star is one more search through the name.
  .refine((pattern) => pattern.split('*').length - 1 <= MAX_PATTERN_STARS, `may hold at most ${MAX_PATTERN_STARS} *`);

export const providerPricingSchema = z
  .record(pricingPatternSchema, tokenRatesSchema)
  .refine((pricing) => Object.keys(pricing).length <= 256, 'at most 256 patterns');

export type ProviderPricing = z.infer<typeof providerPricingSchema>;
