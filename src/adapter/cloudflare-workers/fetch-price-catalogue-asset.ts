import { checkPriceCatalogue } from '../../cost/catalogue/check-price-catalogue.ts';
import type { PriceCatalogue } from '../../cost/catalogue/price-catalogue.ts';
import type { StaticAssets } from './worker-bindings.ts';

// The price catalogue is one of the Worker's static assets (npm run build writes it beside the
// console), so its 250 KB stay out of the Worker's script: fetched through the ASSETS binding the
// first time a request is priced in an isolate. The host is never looked up: the binding serves
// the file by its path.

export async function fetchPriceCatalogueAsset(assets: StaticAssets): Promise<PriceCatalogue> {
  const response = await assets.fetch('https://assets.invalid/price-catalogue.json');
  if (!response.ok) throw new Error(`the price catalogue asset answered ${response.status}`);
  return checkPriceCatalogue(await response.json());
}
