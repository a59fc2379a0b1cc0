// The price catalogue as scripts/build-price-catalogue.mjs writes it: @pydantic/genai-prices'
// providers and models with only what pricing by tokens needs, in the package's own field names
// (https://github.com/pydantic/genai-prices, prices/README.md). Rates are US dollars per million
// tokens; a tiered rate applies its highest tier whose start the prompt's size passes.

export type CatalogueRule =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { or: CatalogueRule[] }
  | { and: CatalogueRule[] };

export type CatalogueRate = number | { base: number; tiers: Array<{ start: number; price: number }> };

export interface CatalogueRates {
  input_mtok?: CatalogueRate;
  output_mtok?: CatalogueRate;
  cache_read_mtok?: CatalogueRate;
  cache_write_mtok?: CatalogueRate;
}

export type CatalogueConstraint =
  | { type: 'start_date'; start_date: string }
  /** A daily window, `HH:MM:SS` with `Z` or an offset; it may wrap past midnight. */
  | { type: 'time_of_date'; start_time: string; end_time: string };

export interface CatalogueModel {
  id: string;
  match: CatalogueRule;
  /** One set of rates, or several where the price changed on a date or changes by the time of day (the last that applies wins). */
  prices: CatalogueRates | Array<{ constraint?: CatalogueConstraint; prices: CatalogueRates }>;
}

export interface CatalogueProvider {
  id: string;
  /** A regular expression the provider's API base URL starts with. */
  api_pattern: string;
  /** Matched against a gateway provider's name when its base URL is not the provider's own. */
  provider_match?: CatalogueRule;
  /** Providers whose models this one also serves at their prices (an aggregator's). */
  fallback_model_providers?: string[];
  models: CatalogueModel[];
}

export interface PriceCatalogue {
  source: { name: string; version: string };
  providers: CatalogueProvider[];
}

export const EMPTY_PRICE_CATALOGUE: PriceCatalogue = { source: { name: 'none', version: '0' }, providers: [] };

/** Where the runtime gets the catalogue from (a file on Node, a static asset on Workers), read once. */
export type LoadPriceCatalogue = () => Promise<PriceCatalogue>;
