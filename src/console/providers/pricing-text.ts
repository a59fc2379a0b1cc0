import type { ProviderPricing, TokenRates } from 'llm-gateway-client';

// A provider's prices as people write them, one `pattern = input, output[, cached input[, cache
// write]]` per line (dollars per million tokens), and back. '=' separates, since a model name may
// hold ':' (Ollama's "llama3:8b"). A price may be written as the page shows money and counts,
// "$1,250.50": a comma followed by three digits groups thousands, any other comma separates
// prices. The pattern's own rules (its length, its stars) are the gateway's to say (it answers
// with details.field "pricing...").

export type ParsedPricing = { ok: true; pricing: ProviderPricing } | { ok: false; message: string };

const RATE_NAMES = ['input', 'output', 'cachedInput', 'cacheWrite'] as const;
const SEPARATOR = /,(?!\d{3}(?!\d))/;
const PRICE = /^\$?\s*(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?$/;
/** The gateway's own ceiling (src/api/pricing.ts). */
const MAX_RATE = 1_000_000;

export function parsePricing(text: string): ParsedPricing {
  const pricing: ProviderPricing = {};
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const where = `Line ${index + 1}`;
    const equals = line.lastIndexOf('=');
    const pattern = equals === -1 ? '' : line.slice(0, equals).trim();
    if (pattern === '') return { ok: false, message: `${where}: write each price as model pattern = input, output` };
    if (Object.hasOwn(pricing, pattern)) return { ok: false, message: `${where}: ${pattern} is given twice` };
    const prices = line.slice(equals + 1).split(SEPARATOR).map((price) => price.trim());
    if (prices.length < 2 || prices.length > 4) {
      return { ok: false, message: `${where}: give the input and output prices, then if you wish the cached input and cache write prices (${prices.length} given)` };
    }
    const rates: Partial<Record<(typeof RATE_NAMES)[number], number>> = {};
    for (const [position, price] of prices.entries()) {
      if (!PRICE.test(price) || !/\d/.test(price)) return { ok: false, message: `${where}: "${price}" is not a price; write dollars, such as 2.50 or $1,250` };
      const value = Number(price.replace(/[$,\s]/g, ''));
      if (value > MAX_RATE) return { ok: false, message: `${where}: ${price} is more than the $1,000,000 per million tokens the gateway takes` };
      rates[RATE_NAMES[position]!] = value;
    }
    pricing[pattern] = rates as TokenRates;
  }
  return { ok: true, pricing };
}

const format = new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 });

export function formatPricing(pricing: ProviderPricing): string {
  return Object.entries(pricing)
    .map(([pattern, { input, output, cachedInput, cacheWrite }]) => {
      // Prices are told apart by position, so a cache write price needs one before it; an absent
      // cached input price is the input price (the gateway's rule), said outright.
      const prices = cacheWrite === undefined ? [input, output, ...(cachedInput === undefined ? [] : [cachedInput])] : [input, output, cachedInput ?? input, cacheWrite];
      return `${pattern} = ${prices.map((price) => format.format(price)).join(', ')}`;
    })
    .join('\n');
}
