import type { UsageReport } from 'llm-gateway-client';

// GET /usage?groupBy=day,provider as a chart and a table need it: every UTC day of the report's
// range (days without usage included, so the chart's axis is time), the providers in a stable
// order, and the tokens of each day and provider.

export interface UsageSeries {
  days: string[];
  /** Provider ids, by name (a deleted provider keeps its id as its label). */
  providers: Array<{ id: string; label: string }>;
  /** Prompt plus completion tokens of one day and provider. */
  tokens(day: string, provider: string): number;
  /** The largest day's total, at least 1 (the chart's scale). */
  maxDayTotal: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from.slice(0, 10)}T00:00:00Z`);
  const end = Date.parse(`${to.slice(0, 10)}T00:00:00Z`);
  const days: string[] = [];
  for (let day = start; day <= end && days.length < 1000; day += DAY_MS) days.push(new Date(day).toISOString().slice(0, 10));
  return days;
}

export function buildUsageSeries(report: UsageReport, labelOf: (providerId: string) => string): UsageSeries {
  const byCell = new Map<string, number>();
  const providerIds = new Set<string>();
  const dayTotals = new Map<string, number>();
  for (const row of report.data) {
    if (row.day === undefined || row.provider === undefined) continue;
    const total = row.promptTokens + row.completionTokens;
    providerIds.add(row.provider);
    byCell.set(`${row.day} ${row.provider}`, (byCell.get(`${row.day} ${row.provider}`) ?? 0) + total);
    dayTotals.set(row.day, (dayTotals.get(row.day) ?? 0) + total);
  }
  const providers = [...providerIds].map((id) => ({ id, label: labelOf(id) })).sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
  return {
    days: daysBetween(report.from, report.to),
    providers,
    tokens: (day, provider) => byCell.get(`${day} ${provider}`) ?? 0,
    maxDayTotal: Math.max(1, ...dayTotals.values()),
  };
}
