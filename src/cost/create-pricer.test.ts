import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.ts';
import type { PriceCatalogue } from './catalogue/price-catalogue.ts';
import { createPricer } from './create-pricer.ts';

const counts = { promptTokens: 1000, completionTokens: 100, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
const catalogue: PriceCatalogue = {
  source: { name: 'test', version: '1' },
  providers: [{ id: 'acme', api_pattern: 'https://api\\.acme\\.test', models: [{ id: 'm', match: { equals: 'm' }, prices: { input_mtok: 1, output_mtok: 2 } }, { id: 'bad', match: { regex: '(' }, prices: { input_mtok: 1 } }] }],
};

function pricerWith(load: () => Promise<PriceCatalogue>) {
  const lines: string[] = [];
  return { pricer: createPricer(load, createLogger({ level: 'warn', write: (line) => lines.push(line) })), lines };
}

describe('createPricer', () => {
  it('takes the provider\'s pricing first, then the catalogue, and knows no price for the rest', async () => {
    const { pricer } = pricerWith(async () => catalogue);
    const provider = { baseUrl: 'https://api.acme.test/v1', name: 'acme' };
    expect(await pricer.costOf(provider, 'm', counts, 0)).toBe(0.0012);
    expect(await pricer.costOf({ ...provider, pricing: { m: { input: 10, output: 10 } } }, 'm', counts, 0)).toBe(0.011);
    expect(await pricer.costOf(provider, 'unknown', counts, 0)).toBeNull();
    expect(await pricer.costOf(provider, 'unknown', { ...counts, promptTokens: 0, completionTokens: 0 }, 0)).toBe(0);
  });

  it('loads the catalogue once, tries again after a failure, and a bad rule leaves the request unpriced, never failed', async () => {
    let loads = 0;
    const { pricer, lines } = pricerWith(async () => {
      loads++;
      if (loads === 1) throw new Error('asset answered 503');
      return catalogue;
    });
    const provider = { baseUrl: 'https://api.acme.test/v1', name: 'acme' };
    expect(await pricer.costOf(provider, 'm', counts, 0)).toBeNull();
    expect(await pricer.costOf(provider, 'm', counts, 0)).toBe(0.0012);
    expect(await pricer.costOf(provider, 'm', counts, 0)).toBe(0.0012);
    expect(loads).toBe(2);
    // "unknown" reaches the model whose regex does not compile.
    expect(await pricer.costOf(provider, 'unknown', counts, 0)).toBeNull();
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['price catalogue unavailable: only providers\' own pricing applies for now', 'price lookup failed']);
  });
});
