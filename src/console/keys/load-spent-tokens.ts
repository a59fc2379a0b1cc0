import type { AccessKey, GatewayClient } from 'llm-gateway-client';

// What each key with a budget has used in its budget's current period (a UTC day, a UTC month,
// or its whole life), read from GET /usage as the gateway's own budget check counts it: prompt
// plus completion tokens since the period began. One usage query per kind of period in use.

type Period = NonNullable<AccessKey['budget']>['period'];

/** Where the current period began, as the gateway counts budgets (UTC). */
export function periodStart(period: Period, now: Date): string {
  switch (period) {
    case 'day':
      return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
    case 'month':
      return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    case 'total':
      return new Date(0).toISOString();
  }
}

/** Key id → tokens used in its budget's current period, for every key that has a budget. */
export async function loadSpentTokens(gateway: GatewayClient, keys: AccessKey[], now: Date): Promise<Map<string, number>> {
  const periods = [...new Set(keys.flatMap((key) => (key.budget ? [key.budget.period] : [])))];
  const spent = new Map<string, number>();
  await Promise.all(
    periods.map(async (period) => {
      const report = await gateway.usage({ from: periodStart(period, now), groupBy: ['key'] });
      const byKey = new Map(report.data.map((row) => [row.key, row.promptTokens + row.completionTokens]));
      for (const key of keys) if (key.budget?.period === period) spent.set(key.id, byKey.get(key.id) ?? 0);
    }),
  );
  return spent;
}
