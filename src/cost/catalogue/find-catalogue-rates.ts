import type { TokenRates } from '../../api/pricing.ts';
import { matchApiPattern, matchCatalogueRule } from './match-catalogue-rule.ts';
import type { CatalogueModel, CatalogueProvider, CatalogueRate, CatalogueRates, PriceCatalogue } from './price-catalogue.ts';

// A model's rates in the price catalogue, chosen as @pydantic/genai-prices' own calcPrice chooses
// them (find-catalogue-rates.test.ts compares the two over every model of the catalogue):
// - the catalogue's provider whose API URL pattern the gateway provider's base URL starts with,
//   else the one whose id or name rule matches the gateway provider's name (a provider called
//   "anthropic" behind a proxy of the operator's);
// - its first model whose rule matches the model id, lower-cased; else the same with a date
//   suffix written with dashes (-20250929 → -2025-09-29); else the providers it falls back to;
// - of dated or daily prices, the last whose condition holds at the request's time;
// - of tiered rates, the highest tier whose start the prompt's size passes.

export interface ProviderIdentity {
  baseUrl: string;
  name: string;
}

/**
 * What `find` gives for `key`, remembered per owner (a catalogue or one of its providers): each
 * lookup walks match rules, and the answer depends only on the key. At most 1,024 keys per owner,
 * forgotten all at once beyond that. `null` remembers "not found".
 */
function remembered<O extends object, T>(memo: WeakMap<O, Map<string, T | null>>, owner: O, key: string, find: () => T | undefined): T | undefined {
  let cache = memo.get(owner);
  if (cache === undefined) {
    cache = new Map();
    memo.set(owner, cache);
  }
  let found = cache.get(key);
  if (found === undefined) {
    found = find() ?? null;
    if (cache.size >= 1024) cache.clear();
    cache.set(key, found);
  }
  return found ?? undefined;
}

const providersByCatalogue = new WeakMap<PriceCatalogue, Map<string, CatalogueProvider | null>>();

function catalogueProviderFor(catalogue: PriceCatalogue, provider: ProviderIdentity): CatalogueProvider | undefined {
  return remembered(providersByCatalogue, catalogue, `${provider.baseUrl}\u0000${provider.name}`, () => {
    const name = provider.name.trim().toLowerCase();
    return (
      catalogue.providers.find((candidate) => matchApiPattern(candidate.api_pattern, provider.baseUrl)) ??
      catalogue.providers.find((candidate) => candidate.id === name) ??
      catalogue.providers.find((candidate) => candidate.provider_match !== undefined && matchCatalogueRule(candidate.provider_match, name))
    );
  });
}

function findModel(catalogue: PriceCatalogue, provider: CatalogueProvider, id: string, withFallbacks: boolean): CatalogueModel | undefined {
  const own = provider.models.find((model) => matchCatalogueRule(model.match, id));
  if (own !== undefined || !withFallbacks) return own;
  for (const fallbackId of provider.fallback_model_providers ?? []) {
    const fallback = catalogue.providers.find((candidate) => candidate.id === fallbackId);
    const found = fallback && findModel(catalogue, fallback, id, false);
    if (found) return found;
  }
  return undefined;
}

const COMPACT_DATE = /-(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

function withDashedDate(id: string): string {
  return id.replace(COMPACT_DATE, (whole, year: string, month: string, day: string) => {
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    return date.getUTCMonth() === Number(month) - 1 ? `-${year}-${month}-${day}` : whole;
  });
}

/** Seconds into the UTC day of `HH:MM:SS[.fff](Z|±HH:MM)`. */
function secondsOfDay(time: string): number {
  const parts = /^(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(Z|([+-])(\d{2}):(\d{2}))$/.exec(time);
  if (!parts) return Number.NaN;
  const local = Number(parts[1]) * 3600 + Number(parts[2]) * 60 + Number(parts[3]);
  const offset = parts[4] === 'Z' ? 0 : (parts[5] === '-' ? -1 : 1) * (Number(parts[6]) * 3600 + Number(parts[7]) * 60);
  return (local - offset + 86_400) % 86_400;
}

function ratesAt(model: CatalogueModel, at: number): CatalogueRates {
  if (!Array.isArray(model.prices)) return model.prices;
  const date = new Date(at);
  const now = date.getUTCHours() * 3600 + date.getUTCMinutes() * 60 + date.getUTCSeconds() + date.getUTCMilliseconds() / 1000;
  for (let index = model.prices.length - 1; index >= 0; index--) {
    const { constraint, prices } = model.prices[index]!;
    if (constraint === undefined) return prices;
    if (constraint.type === 'start_date') {
      if (at >= Date.parse(`${constraint.start_date}T00:00:00Z`)) return prices;
    } else {
      const start = secondsOfDay(constraint.start_time);
      const end = secondsOfDay(constraint.end_time);
      if (end < start ? now >= start || now < end : now >= start && now < end) return prices;
    }
  }
  return model.prices[0]!.prices;
}

function rateFor(rate: CatalogueRate | undefined, promptTokens: number): number | undefined {
  if (rate === undefined || typeof rate === 'number') return rate;
  let price = rate.base;
  for (const tier of [...rate.tiers].sort((a, b) => a.start - b.start)) if (promptTokens > tier.start) price = tier.price;
  return price;
}

// A model's entry per catalogue provider, remembered: finding it walks every rule of the provider's
// models (and its fallbacks'), 27 µs per request in the bench's profile.
const modelsBySource = new WeakMap<CatalogueProvider, Map<string, CatalogueModel | null>>();

function catalogueModelFor(catalogue: PriceCatalogue, source: CatalogueProvider, model: string): CatalogueModel | undefined {
  return remembered(modelsBySource, source, model, () => {
    const id = model.trim().toLowerCase();
    return findModel(catalogue, source, id, true) ?? (withDashedDate(id) === id ? undefined : findModel(catalogue, source, withDashedDate(id), true));
  });
}

export function findCatalogueRates(catalogue: PriceCatalogue, provider: ProviderIdentity, model: string, at: number, promptTokens: number): TokenRates | undefined {
  const source = catalogueProviderFor(catalogue, provider);
  if (source === undefined) return undefined;
  const found = catalogueModelFor(catalogue, source, model);
  if (found === undefined) return undefined;
  const rates = ratesAt(found, at);
  const cachedInput = rateFor(rates.cache_read_mtok, promptTokens);
  const cacheWrite = rateFor(rates.cache_write_mtok, promptTokens);
  return {
    input: rateFor(rates.input_mtok, promptTokens) ?? 0,
    output: rateFor(rates.output_mtok, promptTokens) ?? 0,
    ...(cachedInput === undefined ? {} : { cachedInput }),
    ...(cacheWrite === undefined ? {} : { cacheWrite }),
  };
}
