import type { PricedProvider, Pricer } from '../cost/create-pricer.ts';
import { NANO_USD_PER_USD } from '../cost/price-tokens.ts';
import type { WorstCaseTokens } from './worst-case-tokens.ts';

// A request's worst case in dollars, for a dollar budget's reservation: its worst-case tokens at
// the rates of each model it may be served by (the model, then its fallbacks), the dearest of
// them. The prompt is priced as uncached input or as a cache write, whichever costs more (Anthropic
// charges writes above the input rate). A model with no known price reserves nothing: its requests
// are recorded unpriced (costUsd null) and only a token budget can hold them.

export interface PricedTarget {
  provider: PricedProvider;
  upstreamModel: string;
}

/** Nano-dollars. */
export async function priceWorstCase(pricer: Pricer, targets: readonly PricedTarget[], worst: WorstCaseTokens, at: number): Promise<number> {
  const plain = { promptTokens: worst.prompt, completionTokens: worst.completion, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  const shapes = [plain, { ...plain, cacheWriteTokens: worst.prompt }];
  const costs = await Promise.all(targets.flatMap((target) => shapes.map((counts) => pricer.costOf(target.provider, target.upstreamModel, counts, at))));
  return Math.round(Math.max(0, ...costs.map((cost) => cost ?? 0)) * NANO_USD_PER_USD);
}
