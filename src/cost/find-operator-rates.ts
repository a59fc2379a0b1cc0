import type { ProviderPricing, TokenRates } from '../api/pricing.ts';
import { compileModelPattern, type ModelMatcher } from '../access-keys/compile-model-pattern.ts';

// A provider's own prices for a model: the longest pattern that matches it (so "gpt-4o-mini*"
// wins over "gpt-4o*" for gpt-4o-mini-2024-07-18), matched in linear time like access-key
// patterns. Compiled matchers are kept per pattern text.

const compiled = new Map<string, ModelMatcher>();

function matcherFor(pattern: string): ModelMatcher {
  let matcher = compiled.get(pattern);
  if (matcher === undefined) {
    if (compiled.size >= 4096) compiled.clear();
    matcher = compileModelPattern(pattern);
    compiled.set(pattern, matcher);
  }
  return matcher;
}

export function findOperatorRates(pricing: ProviderPricing | undefined, model: string): TokenRates | undefined {
  if (pricing === undefined) return undefined;
  let best: string | undefined;
  for (const pattern of Object.keys(pricing)) {
    if ((best === undefined || pattern.length > best.length) && matcherFor(pattern)(model)) best = pattern;
  }
  return best === undefined ? undefined : pricing[best];
}
