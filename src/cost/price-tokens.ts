import type { TokenRates } from '../api/pricing.ts';
import type { TokenCounts } from './token-counts.ts';

/** Costs are kept to the billionth of a dollar, so sums over integers are exact on every backend. */
export const NANO_USD_PER_USD = 1e9;

/**
 * A request's price in US dollars: uncached prompt, cached prompt, cache write and completion
 * tokens each at its own rate per million (reasoning tokens are completion tokens). A rate the
 * prices leave out (cachedInput, cacheWrite) is the input rate: what the provider charges when it
 * gives no discount. Rounded to the nano-dollar.
 */
export function priceTokens(rates: TokenRates, counts: TokenCounts): number {
  const uncached = Math.max(0, counts.promptTokens - counts.cachedPromptTokens - counts.cacheWriteTokens);
  // Per million tokens in dollars = per token in thousandths of a nano-dollar.
  const nanos =
    (uncached * rates.input +
      counts.cachedPromptTokens * (rates.cachedInput ?? rates.input) +
      counts.cacheWriteTokens * (rates.cacheWrite ?? rates.input) +
      counts.completionTokens * rates.output) *
    (NANO_USD_PER_USD / 1e6);
  return Math.round(nanos) / NANO_USD_PER_USD;
}
