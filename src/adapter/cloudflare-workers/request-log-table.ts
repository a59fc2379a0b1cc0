import { logFieldsOf } from '../../logs/log-fields-of.ts';
import type { LogSelection } from '../../logs/request-log.ts';
import type { UsageRecord } from '../../storage/usage-ledger.ts';

// The request log on Workers: the usage table of the ledger's Durable Object (usage-ledger-object.ts)
// with one more column, `log`, the record's request-log fields as JSON (columns of their own would
// be filtered on; these are only shown), read newest first by rowid. SQLite's rowid only grows
// here (records are never deleted), so it is the order records were written in and a cursor that
// new records cannot shift. The key and provider filters read an index each.

interface Sql {
  exec<T = Record<string, string | number | null>>(query: string, ...bindings: unknown[]): { toArray(): T[] };
}

/** Adds the column a table made before the request log lacks (its rows read as records without those fields). */
export function addRequestLogColumn(sql: Sql): void {
  if (sql.exec("SELECT 1 FROM pragma_table_info('usage') WHERE name = 'log'").toArray().length === 0) sql.exec('ALTER TABLE usage ADD COLUMN log TEXT');
  sql.exec('CREATE INDEX IF NOT EXISTS usage_by_key ON usage (key_id)');
  sql.exec('CREATE INDEX IF NOT EXISTS usage_by_provider ON usage (provider_id)');
}

export function requestLogValue({ id, requestId, route, stream, cacheStatus, errorCode }: UsageRecord): string {
  return JSON.stringify({ id, requestId, route, stream, cacheStatus, errorCode });
}

/** A selection as the object takes it over RPC: the cursor already decoded. */
export type ObjectLogSelection = Omit<LogSelection, 'before'> & { beforeSeq: number | undefined };

export interface LoggedRow {
  seq: number;
  record: UsageRecord;
}

type Row = Record<string, string | number | null>;

export function readLogPage(sql: Sql, selection: ObjectLogSelection): LoggedRow[] {
  const filters: Array<[string, unknown]> = [];
  if (selection.beforeSeq !== undefined) filters.push(['rowid < ?', selection.beforeSeq]);
  // IS matches NULL (the shared token) as = matches a key id, and uses the index alike.
  if (selection.keyId !== undefined) filters.push(['key_id IS ?', selection.keyId]);
  if (selection.providerId !== undefined) filters.push(['provider_id = ?', selection.providerId]);
  if (selection.model !== undefined) filters.push(['model = ?', selection.model]);
  if (selection.status !== undefined) filters.push([selection.status === 'ok' ? 'outcome = ?' : 'outcome <> ?', '200']);
  const where = filters.length > 0 ? ` WHERE ${filters.map(([condition]) => condition).join(' AND ')}` : '';
  const rows = sql.exec<Row>(`SELECT rowid AS seq, * FROM usage${where} ORDER BY rowid DESC LIMIT ?`, ...filters.map(([, value]) => value), selection.limit).toArray();
  return rows.map((row) => ({ seq: Number(row.seq), record: recordOf(row) }));
}

function recordOf(row: Row): UsageRecord {
  const outcome = String(row.outcome);
  return {
    time: Number(row.time),
    keyId: row.key_id === null ? null : String(row.key_id),
    providerId: String(row.provider_id),
    model: String(row.model),
    promptTokens: Number(row.prompt_tokens),
    completionTokens: Number(row.completion_tokens),
    outcome: /^\d{3}$/.test(outcome) ? Number(outcome) : outcome,
    latencyMs: Number(row.latency_ms),
    timeToFirstTokenMs: row.ttft_ms === null ? null : Number(row.ttft_ms),
    cached: Number(row.cached) === 1,
    cachedPromptTokens: Number(row.cached_prompt_tokens ?? 0),
    cacheWriteTokens: Number(row.cache_write_tokens ?? 0),
    reasoningTokens: Number(row.reasoning_tokens ?? 0),
    // NULL: no price was known for the request.
    costUsd: row.cost_nanos === null || row.cost_nanos === undefined ? null : Number(row.cost_nanos) / 1e9,
    // The route the request named: a column of its own (routes), null when it named none.
    ...(typeof row.route_name === 'string' ? { routeName: row.route_name } : {}),
    ...logFieldsOf(JSON.parse(String(row.log ?? '{}')) as Record<string, unknown>),
  };
}
