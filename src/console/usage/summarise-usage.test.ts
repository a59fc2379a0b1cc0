import type { UsageRow } from 'llm-gateway-client';
import { describe, expect, it } from 'vitest';
import { groupByOf, summariseUsage } from './summarise-usage.ts';

const row = (day: string, fields: Partial<UsageRow>, promptTokens: number, completionTokens: number, errors = 0): UsageRow => ({ day, requests: 1, errors, promptTokens, completionTokens, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 0, ...fields });
const days = ['2026-12-05', '2026-12-06', '2026-12-07'];
const names = { keys: new Map([['k1', 'alice']]) };

describe('usage, summarised for the view', () => {
  it('asks for the day and the dimension, a model with its provider', () => {
    expect(groupByOf('provider')).toEqual(['day', 'provider']);
    expect(groupByOf('model')).toEqual(['day', 'provider', 'model']);
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
      { id: 'p2', label: 'anthropic', figures: { requests: 1, errors: 1, promptTokens: 100, completionTokens: 20 } },
      { id: 'p1', label: 'openai', figures: { requests: 2, errors: 0, promptTokens: 11, completionTokens: 6 } },
      { id: 'gone-1234567890', label: 'deleted provider gone-123', figures: { requests: 1, errors: 0, promptTokens: 3, completionTokens: 0 } },
    ]);
    expect(summary.totals).toEqual({ requests: 4, errors: 1, promptTokens: 114, completionTokens: 26 });
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
});
