// The usage view's range: the last N UTC days, today included. GET /usage counts `to` as
// exclusive, so the query ends at the next UTC midnight and the last day shown is today.

export interface UsageRange {
  /** ISO times for GET /usage: the first day's 00:00 UTC, and the next UTC midnight after today. */
  from: string;
  to: string;
  /** Every UTC day of the range, YYYY-MM-DD, oldest first; the last is today. */
  days: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function usageRange(dayCount: number, now: Date): UsageRange {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = today - (dayCount - 1) * DAY_MS;
  const days = Array.from({ length: dayCount }, (_, index) => new Date(first + index * DAY_MS).toISOString().slice(0, 10));
  return { from: new Date(first).toISOString(), to: new Date(today + DAY_MS).toISOString(), days };
}
