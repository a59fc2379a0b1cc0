// Writes dist/public/price-catalogue.json: the price catalogue of @pydantic/genai-prices (a
// devDependency, read here at build time only) cut down to what the gateway prices with: per
// provider its id, API URL pattern, name match and fallbacks; per model its match rule and its
// input, output, cache read and cache write rates per million tokens (tiers and dated or daily
// price changes kept as the package writes them). Descriptions, context windows, usage extractors
// and every other unit (audio, images, searches, requests) are left out.
//
// Why a file and not an import: the package embeds its whole catalogue in its code (about 75 KiB
// gzipped in a bundle), and the Worker has under 2 KiB of its 100 KiB budget left. The file is a
// static asset on Workers (fetched once per isolate) and read from dist/public at start on Node.
// To update prices: `npm install -D @pydantic/genai-prices@latest && npm run build`, then restart
// or redeploy (README, "What it costs").
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { waitForUpdate } from '@pydantic/genai-prices';

const RATE_KEYS = ['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok'];
const PACKAGE = '@pydantic/genai-prices';

const pick = (object, keys) => Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]));
const keepRates = (prices) => pick(prices, RATE_KEYS);
const hasTokenRates = (prices) => prices.input_mtok !== undefined || prices.output_mtok !== undefined;

function keepModel(model) {
  if (Array.isArray(model.prices)) {
    const prices = model.prices.map((entry) => ({ ...pick(entry, ['constraint']), prices: keepRates(entry.prices) }));
    return prices.some((entry) => hasTokenRates(entry.prices)) ? { id: model.id, match: model.match, prices } : undefined;
  }
  return hasTokenRates(model.prices) ? { id: model.id, match: model.match, prices: keepRates(model.prices) } : undefined;
}

export async function buildPriceCatalogue(outputFile) {
  const providers = await waitForUpdate();
  const packageFile = join(dirname(createRequire(import.meta.url).resolve(PACKAGE)), '..', 'package.json');
  const { version } = JSON.parse(readFileSync(packageFile, 'utf8'));
  const catalogue = {
    source: { name: PACKAGE, version },
    providers: providers.map((provider) => ({
      ...pick(provider, ['id', 'api_pattern', 'provider_match', 'fallback_model_providers']),
      models: provider.models.map(keepModel).filter((model) => model !== undefined),
    })),
  };
  mkdirSync(dirname(outputFile), { recursive: true });
  writeFileSync(outputFile, JSON.stringify(catalogue));
  return catalogue;
}
