// The build step's type, for the test that compares its output with the package's own prices.
export function buildPriceCatalogue(outputFile: string): Promise<import('../src/cost/catalogue/price-catalogue.ts').PriceCatalogue>;
