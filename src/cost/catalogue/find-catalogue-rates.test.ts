import { calcPrice, waitForUpdate, type Provider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { buildPriceCatalogue } from '../../../scripts/build-price-catalogue.mjs';
import { priceTokens } from '../price-tokens.ts';
import { findCatalogueRates } from './find-catalogue-rates.ts';
import type { CatalogueRule, PriceCatalogue } from './price-catalogue.ts';

// The catalogue as the build writes it, priced by this module, against @pydantic/genai-prices'
// own calcPrice over the package's full data: the same rates for every model whose match rule
// names an id, at three prompt sizes (tiers) and two moments (dated and daily prices).

const catalogue = await buildPriceCatalogue(`${process.env.TMPDIR ?? '/tmp'}/price-catalogue-${process.pid}.json`);
const packaged = (await waitForUpdate()) as Provider[];

/** A model id the rule matches: the text of its first equals, starts_with or contains. */
function idFor(rule: CatalogueRule): string | undefined {
  if ('equals' in rule) return rule.equals;
  if ('starts_with' in rule) return rule.starts_with;
  if ('contains' in rule) return rule.contains;
  if ('or' in rule) return rule.or.map(idFor).find((id) => id !== undefined);
  return undefined;
}

const TOKEN_PRICE_KEYS = new Set(['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok']);
const MOMENTS = [Date.parse('2026-12-07T03:00:00Z'), Date.parse('2026-12-07T14:30:00Z'), Date.parse('2025-01-15T12:00:00Z')];
const SIZES = [
  { prompt: 1_000, cached: 200, written: 100, completion: 500 },
  { prompt: 250_000, cached: 100_000, written: 20_000, completion: 4_000 },
  { prompt: 1_200_000, cached: 0, written: 0, completion: 10 },
];

describe('findCatalogueRates', () => {
  it('prices every model as the package\'s own calcPrice does', () => {
    let compared = 0;
    for (const provider of catalogue.providers) {
      for (const model of provider.models) {
        const id = idFor(model.match);
        if (id === undefined) continue;
        for (const at of MOMENTS) {
          for (const size of SIZES) {
            const theirs = calcPrice(
              { input_tokens: size.prompt, cache_read_tokens: size.cached, cache_write_tokens: size.written, output_tokens: size.completion },
              id,
              { providerId: provider.id, timestamp: new Date(at) },
            );
            // Models also priced per request, per image or per search are priced by tokens only here.
            if (theirs === null || Object.keys(theirs.model_price).some((key) => !TOKEN_PRICE_KEYS.has(key))) continue;
            const rates = findCatalogueRates(catalogue, { baseUrl: 'http://127.0.0.1:9/v1', name: provider.id }, id, at, size.prompt);
            const ours = priceTokens(rates!, { promptTokens: size.prompt, cachedPromptTokens: size.cached, cacheWriteTokens: size.written, completionTokens: size.completion, reasoningTokens: 0 });
            // Ours is rounded to the nano-dollar, theirs is not: they may differ by the rounding only.
            const apart = Math.abs(Math.round(ours * 1e9) - theirs.total_price * 1e9);
            expect([provider.id, id, at, size.prompt, apart <= 0.5 + 1e-6]).toEqual([provider.id, id, at, size.prompt, true]);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('finds the provider by its API base URL first, then by name', () => {
    const openai = (baseUrl: string, name: string) => findCatalogueRates(catalogue, { baseUrl, name }, 'gpt-4o', MOMENTS[0]!, 10);
    expect(openai('https://api.openai.com/v1', 'anything')).toEqual({ input: 2.5, output: 10, cachedInput: 1.25 });
    expect(openai('http://127.0.0.1:8080/v1', 'My OpenAI proxy')).toEqual({ input: 2.5, output: 10, cachedInput: 1.25 });
    expect(openai('http://127.0.0.1:8080/v1', 'local')).toBeUndefined();
    // The same name on another service is that service's model: Groq's gpt-oss is not OpenAI's price list.
    const groq = findCatalogueRates(catalogue, { baseUrl: 'https://api.groq.com/openai/v1', name: 'openai' }, 'openai/gpt-oss-120b', MOMENTS[0]!, 10);
    expect(groq).toEqual(findCatalogueRates(catalogue, { baseUrl: 'http://127.0.0.1:9', name: 'groq' }, 'openai/gpt-oss-120b', MOMENTS[0]!, 10));
    expect(groq).not.toBeUndefined();
  });

  it('reads a dated snapshot\'s compact date as the dashed one the catalogue may list, and a model in any case', () => {
    const anthropic = { baseUrl: 'https://api.anthropic.com/v1', name: 'x' };
    expect(findCatalogueRates(catalogue, anthropic, 'claude-sonnet-4-5-20250929', MOMENTS[0]!, 10)).toEqual({ input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 });
    expect(findCatalogueRates(catalogue, anthropic, 'Claude-Sonnet-4-5', MOMENTS[0]!, 10)).toEqual({ input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 });
    expect(findCatalogueRates(catalogue, anthropic, 'no-such-model', MOMENTS[0]!, 10)).toBeUndefined();
  });

  it('is what the package holds: every provider of it, and its version', () => {
    expect(catalogue.providers.map((provider) => provider.id)).toEqual(packaged.map((provider) => provider.id));
    expect(catalogue.source.name).toBe('@pydantic/genai-prices');
  });
});
