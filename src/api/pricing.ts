import * as z from 'zod';

// A provider's own prices (contract v1.2, "Cost"): `pricing: {"<model pattern>": {input, output,
// cachedInput?, cacheWrite?}}`, US dollars per million tokens. `*` in a pattern matches any run of
// characters; the longest matching pattern wins. They come before the price catalogue.

/** As many stars as an access key's model pattern may hold: each is one more search through the name. */
export const MAX_PRICING_PATTERN_STARS = 8;

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
  .refine((pattern) => pattern.split('*').length - 1 <= MAX_PRICING_PATTERN_STARS, `a pattern holds at most ${MAX_PRICING_PATTERN_STARS} *`);

export const providerPricingSchema = z
  .record(pricingPatternSchema, tokenRatesSchema)
  .refine((pricing) => Object.keys(pricing).length <= 256, 'at most 256 patterns');

export type ProviderPricing = z.infer<typeof providerPricingSchema>;
