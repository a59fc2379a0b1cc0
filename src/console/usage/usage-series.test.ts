import { describe, expect, it } from 'vitest';
import { buildUsageSeries, daysBetween } from './usage-series.ts';

const row = (day: string, provider: string, promptTokens: number, completionTokens: number) => ({ day, provider, requests: 1, errors: 0, promptTokens, completionTokens, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 0 });

describe('usage series', () => {
  it('covers every UTC day of the range, both ends included', () => {
    expect(daysBetween('2026-02-27T13:00:00.000Z', '2026-03-02T01:00:00.000Z')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysBetween('2026-03-02T00:00:00.000Z', '2026-03-02T23:59:59.999Z')).toEqual(['2026-03-02']);
  });

  it('adds prompt and completion tokens per day and provider, providers ordered by label', () => {
    const names: Record<string, string> = { p1: 'zeta', p2: 'alpha' };
    const series = buildUsageSeries(
      { from: '2026-03-01T10:00:00.000Z', to: '2026-03-03T10:00:00.000Z', data: [row('2026-03-01', 'p1', 10, 5), row('2026-03-03', 'p2', 100, 20), row('2026-03-03', 'p1', 1, 1), row('2026-03-03', 'gone', 0, 0)] },
      (id) => names[id] ?? id,
    );
    expect(series.days).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(series.providers).toEqual([
      { id: 'p2', label: 'alpha' },
      { id: 'gone', label: 'gone' },
      { id: 'p1', label: 'zeta' },
    ]);
    expect(series.tokens('2026-03-01', 'p1')).toBe(15);
    expect(series.tokens('2026-03-02', 'p1')).toBe(0);
    expect(series.tokens('2026-03-03', 'p2')).toBe(120);
    expect(series.maxDayTotal).toBe(122);
  });

  it('keeps a scale of at least 1 when nothing was used', () => {
    expect(buildUsageSeries({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', data: [] }, (id) => id).maxDayTotal).toBe(1);
  });
});
