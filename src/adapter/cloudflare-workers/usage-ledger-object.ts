import { DurableObject, type SqlStorage } from 'cloudflare:workers';
import type { UsageGrouping, UsageRow } from '../../api/usage.ts';
import { NANO_USD_PER_USD } from '../../cost/price-tokens.ts';
import { countsOf, sortRows, toUsageRow, ZERO_COUNTS, type UsageCounts } from '../../storage/memory-usage-ledger.ts';
import { fitsWithin, type ReservationOutcome, type ReservationRequest } from '../../storage/budget-reservations.ts';
import { isErrorOutcome, type UsageRecord, type UsageSelection } from '../../storage/usage-ledger.ts';
import { addRequestLogColumn, readLogPage, requestLogValue, type LoggedRow, type ObjectLogSelection } from './request-log-table.ts';

// The usage ledger on Workers: one Durable Object with SQLite storage holds every record, so
// budgets are exact across isolates and locations (a KV counter would be neither exact nor able to
// take a write per request). One object serves the whole deployment: Cloudflare documents about
// a thousand requests a second for one object, far above what one gateway's chats need, and a
// record or a budget read is one small SQL statement.
//
// The budget reservations live here too, beside the records they are checked against: each method
// below runs its SQL synchronously, with no await inside, so no other call can run in between and
// a reservation's check and insert (or a settle's record and delete) are one atomic step.

const GROUP_COLUMNS = {
  key: 'key_id',
  provider: 'provider_id',
  model: 'model',
  day: "strftime('%Y-%m-%d', time / 1000, 'unixepoch')",
  route: 'route_name',
} as const;

const SCHEMA_VERSION_KEY = 'usage-schema-version';

export class UsageLedgerObject extends DurableObject {
  constructor(ctx: ConstructorParameters<typeof DurableObject>[0], env: unknown) {
    super(ctx, env);
    this.ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS usage (
      time INTEGER NOT NULL, key_id TEXT, provider_id TEXT NOT NULL, model TEXT NOT NULL,
      prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, outcome TEXT NOT NULL,
      is_error INTEGER NOT NULL, latency_ms INTEGER NOT NULL, ttft_ms INTEGER, cached INTEGER NOT NULL)`);
    this.ctx.storage.sql.exec('CREATE INDEX IF NOT EXISTS usage_by_key_time ON usage (key_id, time)');
    addCostColumns(this.ctx.storage.sql);
    this.ctx.storage.sql.exec('CREATE INDEX IF NOT EXISTS usage_by_time ON usage (time)');
    // Version 2: the estimated flag on records (a stream that ended without the upstream's usage).
    if ((this.ctx.storage.kv.get<number>(SCHEMA_VERSION_KEY) ?? 1) < 2) {
      this.ctx.storage.sql.exec('ALTER TABLE usage ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0');
      this.ctx.storage.kv.put(SCHEMA_VERSION_KEY, 2);
    }
    // Version 3: the route a request named as its model (routes, contract v1.2).
    if ((this.ctx.storage.kv.get<number>(SCHEMA_VERSION_KEY) ?? 1) < 3) {
      this.ctx.storage.sql.exec('ALTER TABLE usage ADD COLUMN route_name TEXT');
      this.ctx.storage.kv.put(SCHEMA_VERSION_KEY, 3);
    }
    this.ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS reservations (
      id TEXT PRIMARY KEY, key_id TEXT NOT NULL, tokens INTEGER NOT NULL, expires_at INTEGER NOT NULL)`);
    this.ctx.storage.sql.exec('CREATE INDEX IF NOT EXISTS reservations_by_key ON reservations (key_id)');
    this.ctx.storage.sql.exec('CREATE INDEX IF NOT EXISTS reservations_by_expiry ON reservations (expires_at)');
    addRequestLogColumn(this.ctx.storage.sql);
    // Version 4: a reservation's dollars (nano-dollars) beside its tokens, for dollar budgets.
    if ((this.ctx.storage.kv.get<number>(SCHEMA_VERSION_KEY) ?? 1) < 4) {
      const columns = new Set(this.ctx.storage.sql.exec('PRAGMA table_info(reservations)').toArray().map((column) => String(column.name)));
      if (!columns.has('cost_nanos')) this.ctx.storage.sql.exec('ALTER TABLE reservations ADD COLUMN cost_nanos INTEGER NOT NULL DEFAULT 0');
      this.ctx.storage.kv.put(SCHEMA_VERSION_KEY, 4);
    }
  }

  record(entry: UsageRecord): void {
    const counts = countsOf(entry);
    this.ctx.storage.sql.exec(
      `INSERT INTO usage (time, key_id, provider_id, model, prompt_tokens, completion_tokens, outcome, is_error, latency_ms, ttft_ms, cached, estimated, route_name,
        cached_prompt_tokens, cache_write_tokens, reasoning_tokens, cost_nanos, log)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      entry.time,
      entry.keyId,
      entry.providerId,
      entry.model,
      entry.promptTokens,
      entry.completionTokens,
      String(entry.outcome),
      isErrorOutcome(entry.outcome) ? 1 : 0,
      entry.latencyMs,
      entry.timeToFirstTokenMs,
      entry.cached ? 1 : 0,
      entry.estimated === true ? 1 : 0,
      entry.routeName ?? null,
      entry.cachedPromptTokens,
      entry.cacheWriteTokens,
      entry.reasoningTokens,
      // NULL: no price was known (counted in unpricedRequests).
      entry.costUsd === null ? null : counts.costNanos,
      requestLogValue(entry),
    );
  }

  logPage(selection: ObjectLogSelection): LoggedRow[] {
    return readLogPage(this.ctx.storage.sql, selection);
  }

  reserve(request: ReservationRequest): ReservationOutcome {
    const sql = this.ctx.storage.sql;
    sql.exec('DELETE FROM reservations WHERE expires_at <= ?', request.now);
    const used = { tokens: this.tokensSince(request.keyId, request.since), costNanos: this.costNanosSince(request.keyId, request.since) };
    const held = sql.exec('SELECT COALESCE(SUM(tokens), 0) AS tokens, COALESCE(SUM(cost_nanos), 0) AS nanos FROM reservations WHERE key_id = ?', request.keyId).one();
    const reserved = { tokens: Number(held.tokens), costNanos: Number(held.nanos) };
    const outcome = { used, reserved };
    if (!fitsWithin(request.limit, used, reserved, request.amount)) return { granted: false, ...outcome };
    sql.exec('INSERT INTO reservations (id, key_id, tokens, expires_at, cost_nanos) VALUES (?, ?, ?, ?, ?)', request.id, request.keyId, request.amount.tokens, request.expiresAt, request.amount.costNanos);
    return { granted: true, ...outcome };
  }

  renew(keyId: string, id: string, _now: number, expiresAt: number): void {
    this.ctx.storage.sql.exec('UPDATE reservations SET expires_at = ? WHERE id = ? AND key_id = ?', expiresAt, id, keyId);
  }

  settle(keyId: string, id: string, entry: UsageRecord): void {
    this.ctx.storage.transactionSync(() => {
      this.record(entry);
      this.release(keyId, id);
    });
  }

  release(keyId: string, id: string): void {
    this.ctx.storage.sql.exec('DELETE FROM reservations WHERE id = ? AND key_id = ?', id, keyId);
  }

  query(selection: UsageSelection): UsageRow[] {
    const columns = selection.groupBy.map((grouping) => `${GROUP_COLUMNS[grouping]} AS ${grouping}`);
    const filters = ['time >= ?', 'time < ?'];
    const bindings: Array<string | number | null> = [selection.from, selection.to];
    if (selection.keyId !== undefined) {
      filters.push(selection.keyId === null ? 'key_id IS NULL' : 'key_id = ?');
      if (selection.keyId !== null) bindings.push(selection.keyId);
    }
    const sums = [
      'COUNT(*) AS requests',
      'SUM(is_error) AS errors',
      'SUM(prompt_tokens) AS promptTokens',
      'SUM(completion_tokens) AS completionTokens',
      'SUM(cached_prompt_tokens) AS cachedPromptTokens',
      'SUM(cache_write_tokens) AS cacheWriteTokens',
      'SUM(reasoning_tokens) AS reasoningTokens',
      'COALESCE(SUM(cost_nanos), 0) AS costNanos',
      'SUM(cost_nanos IS NULL) AS unpricedRequests',
    ];
    const sql = `SELECT ${[...columns, ...sums].join(', ')}
      FROM usage WHERE ${filters.join(' AND ')}${selection.groupBy.length > 0 ? ` GROUP BY ${selection.groupBy.join(', ')}` : ''}`;
    const rows = this.ctx.storage.sql.exec(sql, ...bindings).toArray() as Array<Record<string, string | number | null>>;
    return sortRows(
      rows
        .filter((row) => Number(row.requests) > 0)
        .map((row) => {
          const groups: Pick<UsageRow, UsageGrouping> = {};
          for (const grouping of selection.groupBy) {
            const value = row[grouping];
            if (grouping === 'key') groups.key = value === null || value === undefined ? null : String(value);
            else if (value !== null && value !== undefined) groups[grouping] = String(value);
          }
          const counts = { ...ZERO_COUNTS };
          for (const field of Object.keys(counts) as Array<keyof UsageCounts>) counts[field] = Number(row[field] ?? 0);
          return toUsageRow(groups, counts);
        }),
    );
  }

  tokensSince(keyId: string, since: number): number {
    const row = this.ctx.storage.sql.exec('SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS tokens FROM usage WHERE key_id = ? AND time >= ?', keyId, since).one();
    return Number(row.tokens);
  }

  costSince(keyId: string, since: number): number {
    return this.costNanosSince(keyId, since) / NANO_USD_PER_USD;
  }

  private costNanosSince(keyId: string, since: number): number {
    const row = this.ctx.storage.sql.exec('SELECT COALESCE(SUM(cost_nanos), 0) AS nanos FROM usage WHERE key_id = ? AND time >= ?', keyId, since).one();
    return Number(row.nanos);
  }

  lastUsed(): Array<[string, number]> {
    const rows = this.ctx.storage.sql.exec('SELECT key_id, MAX(time) AS last FROM usage WHERE key_id IS NOT NULL GROUP BY key_id').toArray();
    return rows.map((row) => [String(row.key_id), Number(row.last)]);
  }
}

/**
 * v1.2's columns, added to a table an older version created: the token kinds (0 for older rows)
 * and the cost in nano-dollars (0 for older rows; NULL for a request whose price was unknown).
 */
function addCostColumns(sql: SqlStorage): void {
  const existing = new Set(sql.exec('PRAGMA table_info(usage)').toArray().map((column) => String(column.name)));
  const wanted: Array<[string, string]> = [
    ['cached_prompt_tokens', 'INTEGER NOT NULL DEFAULT 0'],
    ['cache_write_tokens', 'INTEGER NOT NULL DEFAULT 0'],
    ['reasoning_tokens', 'INTEGER NOT NULL DEFAULT 0'],
    ['cost_nanos', 'INTEGER DEFAULT 0'],
  ];
  for (const [name, type] of wanted) if (!existing.has(name)) sql.exec(`ALTER TABLE usage ADD COLUMN ${name} ${type}`);
}
