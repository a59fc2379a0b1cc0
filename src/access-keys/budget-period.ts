import type { BudgetPeriod } from '../api/access-keys.ts';

/** Where a budget's current period began (UTC), as epoch milliseconds; 0 for "total". */
export function budgetPeriodStart(period: BudgetPeriod, now: number): number {
  const date = new Date(now);
  switch (period) {
    case 'day':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    case 'month':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    case 'total':
      return 0;
    default: {
      const never: never = period;
      throw new Error(`unknown budget period ${String(never)}`);
    }
  }
}
