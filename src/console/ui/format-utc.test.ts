import { expect, it } from 'vitest';
import { formatUtc } from './format-utc.ts';
import { formatWindow } from './format-window.ts';

it('shows a time in UTC, saying so', () => {
  expect(formatUtc('2026-12-06T14:03:27.123Z')).toBe('2026-12-06 14:03 UTC');
});

it('names a rate-limit window', () => {
  expect([1000, 60_000, 3_600_000, 86_400_000, 30_000, 1500].map(formatWindow)).toEqual(['per second', 'per minute', 'per hour', 'per day', 'per 30 s', 'per 1500 ms']);
});
