import type { AccessKey, GatewayClient, UsageQuery } from 'llm-gateway-client';
import { expect, it } from 'vitest';
import { loadSpentTokens, periodStart } from './load-spent-tokens.ts';

const now = new Date('2026-12-07T15:42:00Z');

it('starts a budget period where the gateway does: the UTC day, the UTC month, or never', () => {
  expect(periodStart('day', now)).toBe('2026-12-07T00:00:00.000Z');
  expect(periodStart('month', now)).toBe('2026-12-01T00:00:00.000Z');
  expect(periodStart('total', now)).toBe('1970-01-01T00:00:00.000Z');
});

it('asks GET /usage once per kind of period in use, and reads each budgeted key\'s tokens', async () => {
  const asked: UsageQuery[] = [];
  const gateway = {
    async usage(query: UsageQuery) {
      asked.push(query);
      const data = query.from === '2026-12-01T00:00:00.000Z' ? [{ key: 'a', requests: 3, errors: 0, promptTokens: 100, completionTokens: 20 }, { key: null, requests: 1, errors: 0, promptTokens: 5, completionTokens: 5 }] : [];
      return { data, from: query.from!, to: '' };
    },
  } as unknown as GatewayClient;
  const key = (id: string, budget: AccessKey['budget']) => ({ id, budget }) as AccessKey;
  const spent = await loadSpentTokens(gateway, [key('a', { tokens: 1000, period: 'month' }), key('b', { tokens: 5, period: 'month' }), key('c', null), key('d', { tokens: 9, period: 'day' })], now);
  expect(asked).toEqual([
    { from: '2026-12-01T00:00:00.000Z', groupBy: ['key'] },
    { from: '2026-12-07T00:00:00.000Z', groupBy: ['key'] },
  ]);
  expect([...spent].sort()).toEqual([['a', 120], ['b', 0], ['d', 0]]);
});
