import type { ProviderPricing } from '../api/pricing.ts';
import type { Logger } from '../logging/logger.ts';
import { findCatalogueRates, type ProviderIdentity } from './catalogue/find-catalogue-rates.ts';
import { EMPTY_PRICE_CATALOGUE, type LoadPriceCatalogue, type PriceCatalogue } from './catalogue/price-catalogue.ts';
import { findOperatorRates } from './find-operator-rates.ts';
import { priceTokens } from './price-tokens.ts';
import type { TokenCounts } from './token-counts.ts';

// What a request cost: the provider's own pricing for the model when a pattern matches it, else
// the price catalogue's, else unknown (null, never 0: GET /usage counts it in unpricedRequests).
// Spending no tokens costs 0 whatever the model (an upstream that failed before answering).

export interface PricedProvider extends ProviderIdentity {
  pricing?: ProviderPricing;
}

export interface Pricer {
  costOf(provider: PricedProvider, model: string, counts: TokenCounts, at: number): Promise<number | null>;
}

export function createPricer(load: LoadPriceCatalogue, logger: Logger): Pricer {
  let loaded: Promise<PriceCatalogue> | undefined;
  function catalogue(): Promise<PriceCatalogue> {
    loaded ??= load().catch((error: unknown) => {
      // Tried again by the next request: a missing file or an asset fetch that failed once.
      loaded = undefined;
      logger.warn('price catalogue unavailable: only providers\' own pricing applies for now', { error: error instanceof Error ? error.message : 'unknown' });
      return EMPTY_PRICE_CATALOGUE;
    });
    return loaded;
  }
  return {
    async costOf(provider, model, counts, at) {
      if (counts.promptTokens === 0 && counts.completionTokens === 0) return 0;
      try {
        const rates = findOperatorRates(provider.pricing, model) ?? findCatalogueRates(await catalogue(), provider, model, at, counts.promptTokens);
        return rates === undefined ? null : priceTokens(rates, counts);
      } catch (error) {
        // A catalogue rule that cannot be read (a bad regex in a newer version): unpriced, never the request's failure.
        logger.warn('price lookup failed', { model, error: error instanceof Error ? error.message : 'unknown' });
        return null;
      }
    },
  };
}
