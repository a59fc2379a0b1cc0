import { readFile } from 'node:fs/promises';
import { checkPriceCatalogue } from '../../cost/catalogue/check-price-catalogue.ts';
import type { PriceCatalogue } from '../../cost/catalogue/price-catalogue.ts';

/** The price catalogue `npm run build` wrote (dist/public/price-catalogue.json). */
export async function readPriceCatalogueFile(path: string): Promise<PriceCatalogue> {
  return checkPriceCatalogue(JSON.parse(await readFile(path, 'utf8')));
}
