import type { LogStatus } from '../api/logs.ts';
import type { UsageRecord } from '../storage/usage-ledger.ts';

// The request log (GET /logs) reads the usage ledger's records newest first, in the order the
// ledger recorded them (when each request finished), a page at a time. Each backend keeps the
// records its own way (month files on Node, a Redis stream, the Durable Object's SQLite table)
// and says where a page stopped with an opaque cursor: a position in that order, so records that
// arrive while a caller pages are never shown twice and never push a row out of the pages.

/** Filters left undefined select everything. */
export interface LogSelection {
  /** Rows wanted, 1 to 500. */
  limit: number;
  /** A cursor this backend gave as `next`: only records before it. */
  before?: string | undefined;
  /** Only this key's records (null: the shared token's). */
  keyId?: string | null | undefined;
  providerId?: string | undefined;
  model?: string | undefined;
  status?: LogStatus | undefined;
}

export interface LoggedRecord {
  record: UsageRecord;
  /** Its place in the backend's order; also its id when it has none of its own (recorded before the request log existed). */
  position: string;
}

export interface LoggedPage {
  records: LoggedRecord[];
  /** Where the next page starts. A backend that stops scanning early may give one with fewer records than asked. */
  next?: string | undefined;
}

export interface RequestLog {
  page(selection: LogSelection): Promise<LoggedPage>;
}

/** ok: answered in full (a stream to its end); anything else (a failure, a client that left) is an error. */
export function logStatusOf(outcome: number | string): LogStatus {
  return outcome === 200 ? 'ok' : 'error';
}

/** The filters of a selection, for the backends that read records and filter them as they go. */
export function matchesSelection(record: UsageRecord, selection: LogSelection): boolean {
  return (
    (selection.keyId === undefined || record.keyId === selection.keyId) &&
    (selection.providerId === undefined || record.providerId === selection.providerId) &&
    (selection.model === undefined || record.model === selection.model) &&
    (selection.status === undefined || logStatusOf(record.outcome) === selection.status)
  );
}
