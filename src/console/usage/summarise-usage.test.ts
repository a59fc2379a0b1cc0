import type { UsageRow } from 'llm-gateway-client';
import { describe, expect, it } from 'vitest';
import { groupByOf, summariseUsage } from './summarise-usage.ts';

const row = (day: string, fields: Partial<UsageRow>, promptTokens: number, completionTokens: number, errors = 0): UsageRow => ({ day, requests: 1, errors, promptTokens, completionTokens, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 0, ...fields });
const days = ['2026-12-05', '2026-12-06', '2026-12-07'];
const names = { keys: new Map([['k1', 'alice']]) };
const noCost = { cachedPromptTokens: 0, cacheWriteTokens: 0, costNanos: 0, unpricedRequests: 0 };

describe('usage, summarised for the view', () => {
  it('asks for the day and the dimension, a model with its provider', () => {
    expect(groupByOf('provider')).toEqual(['day', 'provider']);
    expect(groupByOf('model')).toEqual(['day', 'provider', 'model']);
    expect(groupByOf('route')).toEqual(['day', 'route']);
    expect(groupByOf('key')).toEqual(['day', 'key']);
  });

  it('groups by provider name, largest first, with totals and every day of the range', () => {
    const rows = [
      row('2026-12-05', { provider: 'p1', providerName: 'openai' }, 10, 5),
      row('2026-12-07', { provider: 'p2', providerName: 'anthropic' }, 100, 20, 1),
      row('2026-12-07', { provider: 'p1', providerName: 'openai' }, 1, 1),
      row('2026-12-07', { provider: 'gone-1234567890' }, 3, 0),
    ];
    const summary = summariseUsage(rows, days, 'provider', names);
    expect(summary.groups).toEqual([
      { id: 'p2', label: 'anthropic', figures: { requests: 1, errors: 1, promptTokens: 100, completionTokens: 20, ...noCost } },
      { id: 'p1', label: 'openai', figures: { requests: 2, errors: 0, promptTokens: 11, completionTokens: 6, ...noCost } },
      { id: 'gone-1234567890', label: 'deleted provider gone-123', figures: { requests: 1, errors: 0, promptTokens: 3, completionTokens: 0, ...noCost } },
    ]);
    expect(summary.totals).toEqual({ requests: 4, errors: 1, promptTokens: 114, completionTokens: 26, ...noCost });
    expect(summary.days.map((day) => [day.day, day.figures.requests, Object.fromEntries(day.tokens)])).toEqual([
      ['2026-12-05', 1, { p1: 15 }],
      ['2026-12-06', 0, {}],
      ['2026-12-07', 3, { p2: 120, p1: 2, 'gone-1234567890': 3 }],
    ]);
  });

  it('names a model with its provider, and a key by its name (the shared token, a deleted key)', () => {
    const byModel = summariseUsage([row('2026-12-06', { provider: 'p1', providerName: 'openai', model: 'gpt-4o' }, 5, 5)], days, 'model', names);
    expect(byModel.groups.map((group) => group.label)).toEqual(['openai/gpt-4o']);
    const byKey = summariseUsage([row('2026-12-06', { key: 'k1' }, 50, 0), row('2026-12-06', { key: null }, 20, 0), row('2026-12-06', { key: 'k2-abcdefghij' }, 10, 0)], days, 'key', names);
    expect(byKey.groups.map((group) => group.label)).toEqual(['alice', 'Shared token', 'deleted key k2-abcde']);
  });

  it('sums cost in whole nano-dollars per group, per day and in all, with the cache and unpriced counts', () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004; in nano-dollars it is exact.
    const rows = [
      row('2026-12-05', { key: 'k1', costUsd: 0.1, cachedPromptTokens: 1920, cacheWriteTokens: 0 }, 2006, 300),
      row('2026-12-07', { key: 'k1', costUsd: 0.2, cachedPromptTokens: 0, cacheWriteTokens: 188086, unpricedRequests: 1 }, 188107, 393),
      row('2026-12-07', { key: null, costUsd: 0.000000001 }, 1, 1),
    ];
    const summary = summariseUsage(rows, days, 'key', names);
    expect(summary.groups.map((group) => [group.label, group.figures.costNanos, group.figures.cachedPromptTokens, group.figures.cacheWriteTokens, group.figures.unpricedRequests])).toEqual([
      ['alice', 300_000_000, 1920, 188086, 1],
      ['Shared token', 1, 0, 0, 0],
    ]);
    expect(summary.totals.costNanos).toBe(300_000_001);
    expect(summary.days.map((day) => [day.day, Object.fromEntries(day.costNanos)])).toEqual([
      ['2026-12-05', { k1: 100_000_000 }],
      ['2026-12-06', {}],
      ['2026-12-07', { k1: 200_000_000, '': 1 }],
    ]);
  });
});
