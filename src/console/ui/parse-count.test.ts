import { expect, it } from 'vitest';
import { formatNumber } from './format-number.ts';
import { parseCount } from './parse-count.ts';

it('reads a whole number typed plain, or grouped as the console shows it', () => {
  expect(parseCount('1000000')).toBe(1_000_000);
  expect(parseCount(' 1,000,000 ')).toBe(1_000_000);
  expect(parseCount('1 000 000')).toBe(1_000_000);
  expect(parseCount('0')).toBe(0);
  expect(parseCount(formatNumber(123_456_789))).toBe(123_456_789);
});

it('refuses what is not a whole number in one of those forms', () => {
  for (const text of ['', 'lots', '1,5', '1.5', '10,00', '-5', '1e6', '1,000,00', '99999999999999999999']) expect(parseCount(text)).toBeUndefined();
});
