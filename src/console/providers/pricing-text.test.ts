import { describe, expect, it } from 'vitest';
import { formatPricing, parsePricing } from './pricing-text.ts';

describe('provider pricing as text', () => {
  it('reads one "pattern = input, output[, cached input[, cache write]]" per line, skipping blank lines', () => {
    expect(parsePricing('gpt-4o* = 2.50, 10\n\n  llama3:8b=0,0  \r\nclaude-* = $3, $15, $0.30, $3.75\n')).toEqual({
      ok: true,
      pricing: {
        'gpt-4o*': { input: 2.5, output: 10 },
        'llama3:8b': { input: 0, output: 0 },
        'claude-*': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
      },
    });
    expect(parsePricing('')).toEqual({ ok: true, pricing: {} });
  });

  it('reads prices as the page shows them: a leading $, thousands commas', () => {
    expect(parsePricing('big = $1,250.50, 1,000,000, .5')).toEqual({ ok: true, pricing: { big: { input: 1250.5, output: 1_000_000, cachedInput: 0.5 } } });
    expect(parsePricing('tight = 1,250,3')).toEqual({ ok: true, pricing: { tight: { input: 1250, output: 3 } } });
  });

  it('names the line of a mistake, in plain words', () => {
    expect(parsePricing('a = 1, 2\ngpt-4o: 2.5, 10')).toEqual({ ok: false, message: 'Line 2: write each price as model pattern = input, output' });
    expect(parsePricing(' = 1, 2')).toEqual({ ok: false, message: 'Line 1: write each price as model pattern = input, output' });
    expect(parsePricing('a = 1, 2\na = 3, 4')).toEqual({ ok: false, message: 'Line 2: a is given twice' });
    expect(parsePricing('\na = 2.5')).toEqual({ ok: false, message: 'Line 2: give the input and output prices, then if you wish the cached input and cache write prices (1 given)' });
    expect(parsePricing('a = 1, 2, 3, 4, 5')).toEqual({ ok: false, message: 'Line 1: give the input and output prices, then if you wish the cached input and cache write prices (5 given)' });
    expect(parsePricing('a = 2.5, ten')).toEqual({ ok: false, message: 'Line 1: "ten" is not a price; write dollars, such as 2.50 or $1,250' });
    expect(parsePricing('a = -1, 2')).toEqual({ ok: false, message: 'Line 1: "-1" is not a price; write dollars, such as 2.50 or $1,250' });
    expect(parsePricing('a = 1,, 2')).toEqual({ ok: false, message: 'Line 1: "" is not a price; write dollars, such as 2.50 or $1,250' });
    expect(parsePricing('a = $, 2')).toEqual({ ok: false, message: 'Line 1: "$" is not a price; write dollars, such as 2.50 or $1,250' });
    expect(parsePricing('a = 1, 2,000,001')).toEqual({ ok: false, message: 'Line 1: 2,000,001 is more than the $1,000,000 per million tokens the gateway takes' });
  });

  it('writes prices back in the same form, grouped as the page shows numbers, without losing a digit', () => {
    const pricing = { 'gpt-4o*': { input: 2.5, output: 10, cachedInput: 1.25 }, 'llama3:8b': { input: 1250.5, output: 0.0000375 } };
    expect(formatPricing(pricing)).toBe('gpt-4o* = 2.5, 10, 1.25\nllama3:8b = 1,250.5, 0.0000375');
    expect(parsePricing(formatPricing(pricing))).toEqual({ ok: true, pricing });
  });

  it('writes a cache write price without a cached input one as the input price, which is what an absent one means', () => {
    expect(formatPricing({ 'claude-*': { input: 3, output: 15, cacheWrite: 3.75 } })).toBe('claude-* = 3, 15, 3, 3.75');
  });
});
