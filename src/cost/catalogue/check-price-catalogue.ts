import type { PriceCatalogue } from './price-catalogue.ts';

/**
 * The catalogue file's shape, checked once as it is loaded: the build writes it, but a file left
 * from another version, or an asset that is not it, must fail here rather than price wrongly.
 */
export function checkPriceCatalogue(value: unknown): PriceCatalogue {
  const catalogue = value as Partial<PriceCatalogue> | null;
  const wellFormed =
    typeof catalogue === 'object' &&
    catalogue !== null &&
    typeof catalogue.source?.version === 'string' &&
    Array.isArray(catalogue.providers) &&
    catalogue.providers.every((provider) => typeof provider?.id === 'string' && typeof provider.api_pattern === 'string' && Array.isArray(provider.models));
  if (!wellFormed) throw new Error('the price catalogue is not in the expected format (run npm run build)');
  return catalogue as PriceCatalogue;
}
