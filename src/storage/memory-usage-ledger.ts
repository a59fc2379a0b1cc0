import type { UsageGrouping, UsageRow } from '../api/usage.ts';
import { NANO_USD_PER_USD } from '../cost/price-tokens.ts';
import { floorToHour, isErrorOutcome, type UsageLedger, type UsageRecord, type UsageSelection } from './usage-ledger.ts';

// The usage ledger's sums in memory, per key, provider, model and hour. Node keeps its records in
// append-only files and replays them into this at start (src/adapter/node/file-usage-ledger.ts).
// Budgets read a per-key list of hourly token sums from its newest end, so a day's budget check
// walks at most 24 entries and a month's at most 744, whatever the traffic.

export interface UsageBucket extends UsageCounts {
  keyId: string | null;
  providerId: string;
  model: string;
  /** The route the requests named (null: none; absent in checkpoints older than routes). */
  routeName?: string | null;
  hour: number;
}

/** What a bucket sums. Cost is in nano-dollars, an integer, so sums are exact on every backend. */
export interface UsageCounts {
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cachedPromptTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costNanos: number;
  unpricedRequests: number;
}

export const ZERO_COUNTS: UsageCounts = {
  requests: 0,
  errors: 0,
  promptTokens: 0,
  completionTokens: 0,
  cachedPromptTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  costNanos: 0,
  unpricedRequests: 0,
};

/** One record as the counts it adds to its bucket. */
export function countsOf(entry: UsageRecord): UsageCounts {
  return {
    requests: 1,
    errors: isErrorOutcome(entry.outcome) ? 1 : 0,
    promptTokens: entry.promptTokens,
    completionTokens: entry.completionTokens,
    cachedPromptTokens: entry.cachedPromptTokens,
    cacheWriteTokens: entry.cacheWriteTokens,
    reasoningTokens: entry.reasoningTokens,
    costNanos: entry.costUsd === null ? 0 : Math.round(entry.costUsd * NANO_USD_PER_USD),
    unpricedRequests: entry.costUsd === null ? 1 : 0,
  };
}

function addCounts(target: UsageCounts, source: UsageCounts): void {
  for (const field of Object.keys(ZERO_COUNTS) as Array<keyof UsageCounts>) target[field] += source[field];
}

/** One amount per key and hour (tokens, or nano-dollars), for the budgets. */
interface KeyHours {
  /** [hour, amount] in ascending hour order. */
  hours: Array<[number, number]>;
  total: number;
}

/** Everything the sums hold, as plain data: what a checkpoint stores (the per-key token lists follow from the buckets). */
export interface UsageSums {
  buckets: UsageBucket[];
  /** [keyId, epoch ms of its last record]. */
  lastUsed: Array<[string, number]>;
}

export interface MemoryUsageLedger extends UsageLedger {
  /** Adds a record without persisting it (replaying a file at start). */
  add(entry: UsageRecord): void;
  /** A copy of the sums, taken at once. */
  sums(): UsageSums;
}

export function createMemoryUsageLedger(from?: UsageSums): MemoryUsageLedger {
  const buckets = new Map<string, UsageBucket>();
  const tokensByKey = new Map<string, KeyHours>();
  const nanosByKey = new Map<string, KeyHours>();
  const lastUsed = new Map<string, number>(from?.lastUsed);

  function bucketFor(keyId: string | null, providerId: string, model: string, routeName: string | null, hour: number): UsageBucket {
    const id = `${keyId ?? ''}\u0000${providerId}\u0000${model}\u0000${routeName ?? ''}\u0000${hour}`;
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = { keyId, providerId, model, ...(routeName === null ? {} : { routeName }), hour, ...ZERO_COUNTS };
      buckets.set(id, bucket);
    }
    return bucket;
  }

  function addPerKey(byKey: Map<string, KeyHours>, keyId: string, hour: number, amount: number): void {
    let perKey = byKey.get(keyId);
    if (!perKey) {
      perKey = { hours: [], total: 0 };
      byKey.set(keyId, perKey);
    }
    perKey.total += amount;
    addToHour(perKey.hours, hour, amount);
  }

  function addSpend(keyId: string, hour: number, counts: Pick<UsageCounts, 'promptTokens' | 'completionTokens' | 'costNanos'>): void {
    addPerKey(tokensByKey, keyId, hour, counts.promptTokens + counts.completionTokens);
    if (counts.costNanos !== 0) addPerKey(nanosByKey, keyId, hour, counts.costNanos);
  }

  for (const saved of [...(from?.buckets ?? [])].sort((a, b) => a.hour - b.hour)) {
    addCounts(bucketFor(saved.keyId, saved.providerId, saved.model, saved.routeName ?? null, saved.hour), saved);
    if (saved.keyId !== null) addSpend(saved.keyId, saved.hour, saved);
  }

  function add(entry: UsageRecord): void {
    const hour = floorToHour(entry.time);
    const counts = countsOf(entry);
    addCounts(bucketFor(entry.keyId, entry.providerId, entry.model, entry.routeName ?? null, hour), counts);
    if (entry.keyId === null) return;
    addSpend(entry.keyId, hour, counts);
    if (entry.time > (lastUsed.get(entry.keyId) ?? 0)) lastUsed.set(entry.keyId, entry.time);
  }

  return {
    add,
    sums: () => ({ buckets: [...buckets.values()].map((bucket) => ({ ...bucket })), lastUsed: [...lastUsed] }),
    async record(entry) {
      add(entry);
    },
    async query(selection) {
      return groupBuckets(buckets.values(), selection);
    },
    async tokensSince(keyId, since) {
      return sumSince(tokensByKey.get(keyId), since);
    },
    async costSince(keyId, since) {
      return sumSince(nanosByKey.get(keyId), since) / NANO_USD_PER_USD;
    },
    async lastUsed() {
      return new Map(lastUsed);
    },
  };
}

/** A key's amounts from an hour on, read from the newest end: a day's budget walks at most 24 entries. */
function sumSince(perKey: KeyHours | undefined, since: number): number {
  if (!perKey) return 0;
  if (perKey.hours.length === 0 || since <= perKey.hours[0]![0]) return perKey.total;
  let sum = 0;
  for (let index = perKey.hours.length - 1; index >= 0 && perKey.hours[index]![0] >= since; index--) sum += perKey.hours[index]![1];
  return sum;
}

function addToHour(hours: Array<[number, number]>, hour: number, tokens: number): void {
  const last = hours[hours.length - 1];
  if (last && last[0] === hour) {
    last[1] += tokens;
    return;
  }
  if (!last || last[0] < hour) {
    hours.push([hour, tokens]);
    return;
  }
  // A record from an earlier hour (clocks, or replaying files out of order): keep the order.
  let index = hours.length - 1;
  while (index > 0 && hours[index - 1]![0] >= hour) index--;
  if (hours[index]![0] === hour) hours[index]![1] += tokens;
  else hours.splice(hours[index]![0] > hour ? index : index + 1, 0, [hour, tokens]);
}

/** Sums hourly buckets into the rows GET /usage answers; shared by the backends that keep buckets. */
export function groupBuckets(all: Iterable<UsageBucket>, selection: UsageSelection): UsageRow[] {
  const rows = new Map<string, GroupedCounts>();
  for (const bucket of all) {
    if (bucket.hour < selection.from || bucket.hour >= selection.to) continue;
    if (selection.keyId !== undefined && bucket.keyId !== selection.keyId) continue;
    const row: GroupedCounts = { groups: {}, counts: { ...ZERO_COUNTS } };
    const parts: string[] = [];
    for (const grouping of selection.groupBy) {
      const value = groupValue(bucket, grouping);
      parts.push(value ?? '\u0001');
      assignGroup(row.groups, grouping, value);
    }
    const id = parts.join('\u0000');
    const existing = rows.get(id) ?? row;
    addCounts(existing.counts, bucket);
    rows.set(id, existing);
  }
  return sortRows([...rows.values()].map(({ groups, counts }) => toUsageRow(groups, counts)));
}

interface GroupedCounts {
  groups: Pick<UsageRow, UsageGrouping>;
  counts: UsageCounts;
}

/** Summed counts as the row GET /usage answers: cost in dollars. */
export function toUsageRow(groups: Pick<UsageRow, UsageGrouping>, counts: UsageCounts): UsageRow {
  const { costNanos, ...rest } = counts;
  return { ...groups, ...rest, costUsd: costNanos / NANO_USD_PER_USD };
}

function groupValue(bucket: UsageBucket, grouping: UsageGrouping): string | null {
  switch (grouping) {
    case 'key':
      return bucket.keyId;
    case 'provider':
      return bucket.providerId;
    case 'model':
      return bucket.model;
    case 'day':
      return new Date(bucket.hour).toISOString().slice(0, 10);
    case 'route':
      return bucket.routeName ?? null;
    default: {
      const never: never = grouping;
      throw new Error(`unknown grouping ${String(never)}`);
    }
  }
}

function assignGroup(row: Pick<UsageRow, UsageGrouping>, grouping: UsageGrouping, value: string | null): void {
  if (grouping === 'key') row.key = value;
  else if (value !== null) row[grouping] = value;
}

/** Rows in a stable order: by day, then key, provider and model. */
export function sortRows(rows: UsageRow[]): UsageRow[] {
  const text = (value: string | null | undefined) => value ?? '';
  return rows.sort((a, b) =>
    text(a.day).localeCompare(text(b.day)) ||
    text(a.key).localeCompare(text(b.key)) ||
    text(a.provider).localeCompare(text(b.provider)) ||
    text(a.model).localeCompare(text(b.model)) ||
    text(a.route).localeCompare(text(b.route)),
  );
}
