import type { UsageRow } from 'llm-gateway-client';

// GET /usage rows (grouped by day and by what the view breaks usage down by) as the view shows
// them: one group per provider, model or key, by name and largest first; the totals; and every
// UTC day of the range with its figures and each group's tokens and cost (days without usage
// included, so the chart's axis is time). Cost is summed in whole nano-dollars, as the gateway
// keeps it, so that adding up many rows never drifts by a floating-point cent.

export type UsageDimension = 'provider' | 'model' | 'key' | 'route';

export interface UsageFigures {
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cachedPromptTokens: number;
  cacheWriteTokens: number;
  /** US dollars × 10⁹ (requests with no known price count as 0, and in unpricedRequests). */
  costNanos: number;
  unpricedRequests: number;
}

export interface UsageGroup {
  id: string;
  label: string;
  figures: UsageFigures;
}

export interface UsageDay {
  day: string;
  figures: UsageFigures;
  /** Group id → prompt plus completion tokens. */
  tokens: Map<string, number>;
  /** Group id → cost in nano-dollars. */
  costNanos: Map<string, number>;
}

export interface UsageSummary {
  groups: UsageGroup[];
  totals: UsageFigures;
  days: UsageDay[];
}

/** What the console calls the keys: by name (the admin lists them; an access key knows its own). */
export interface UsageNames {
  keys: Map<string, string>;
}

/** The grouping GET /usage is asked for, per dimension (a model is named with its provider). */
export const groupByOf = (dimension: UsageDimension) => (dimension === 'model' ? ['day', 'provider', 'model'] : ['day', dimension]) as Array<'day' | UsageDimension>;

export const tokensOf = (figures: UsageFigures): number => figures.promptTokens + figures.completionTokens;

const zero = (): UsageFigures => ({ requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0, cacheWriteTokens: 0, costNanos: 0, unpricedRequests: 0 });

export const nanosOf = (usd: number): number => Math.round(usd * 1e9);

function add(sum: UsageFigures, row: UsageFigures): void {
  sum.requests += row.requests;
  sum.errors += row.errors;
  sum.promptTokens += row.promptTokens;
  sum.completionTokens += row.completionTokens;
  sum.cachedPromptTokens += row.cachedPromptTokens;
  sum.cacheWriteTokens += row.cacheWriteTokens;
  sum.costNanos += row.costNanos;
  sum.unpricedRequests += row.unpricedRequests;
}

function figuresOf(row: UsageRow): UsageFigures {
  const { requests, errors, promptTokens, completionTokens, cachedPromptTokens, cacheWriteTokens, unpricedRequests } = row;
  return { requests, errors, promptTokens, completionTokens, cachedPromptTokens, cacheWriteTokens, costNanos: nanosOf(row.costUsd), unpricedRequests };
}

function providerLabel(row: UsageRow): string {
  return row.providerName ?? `deleted provider ${(row.provider ?? '').slice(0, 8)}`;
}

/** The group a row belongs to, with the name people know it by. */
export function groupOf(row: UsageRow, dimension: UsageDimension, names: UsageNames): { id: string; label: string } {
  switch (dimension) {
    case 'provider':
      return { id: row.provider ?? '', label: providerLabel(row) };
    case 'model':
      return { id: `${row.provider ?? ''}/${row.model ?? ''}`, label: `${providerLabel(row)}/${row.model ?? ''}` };
    case 'route':
      // Requests that named a provider's model, not a route, have no route.
      return row.route === undefined ? { id: '', label: 'No route' } : { id: row.route, label: row.route };
    case 'key':
      if (row.key === null || row.key === undefined) return { id: '', label: 'Shared token' };
      return { id: row.key, label: names.keys.get(row.key) ?? `deleted key ${row.key.slice(0, 8)}` };
  }
}

export function summariseUsage(rows: UsageRow[], days: string[], dimension: UsageDimension, names: UsageNames): UsageSummary {
  const groups = new Map<string, UsageGroup>();
  const byDay = new Map(days.map((day) => [day, { day, figures: zero(), tokens: new Map<string, number>(), costNanos: new Map<string, number>() }]));
  const totals = zero();
  for (const row of rows) {
    const { id, label } = groupOf(row, dimension, names);
    const figures = figuresOf(row);
    let group = groups.get(id);
    if (group === undefined) groups.set(id, (group = { id, label, figures: zero() }));
    add(group.figures, figures);
    add(totals, figures);
    const day = row.day === undefined ? undefined : byDay.get(row.day);
    if (day) {
      add(day.figures, figures);
      day.tokens.set(id, (day.tokens.get(id) ?? 0) + tokensOf(figures));
      day.costNanos.set(id, (day.costNanos.get(id) ?? 0) + figures.costNanos);
    }
  }
  const sorted = [...groups.values()].sort((a, b) => tokensOf(b.figures) - tokensOf(a.figures) || b.figures.requests - a.figures.requests || a.label.localeCompare(b.label));
  return { groups: sorted, totals, days: [...byDay.values()] };
}
