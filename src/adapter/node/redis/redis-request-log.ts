import * as z from 'zod';
import { decodeCursor, encodeCursor } from '../../../logs/log-cursor.ts';
import { matchesSelection, type LoggedRecord, type RequestLog } from '../../../logs/request-log.ts';
import type { UsageRecord } from '../../../storage/usage-ledger.ts';
import { parseUsageLine, serialiseUsageLine } from '../file-usage-ledger.ts';
import type { RedisClient, RedisConnection } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';

// The request log in Redis: a stream with one entry per usage record, written in the same MULTI
// as the record's sums (redis-usage-ledger.ts), holding the record as a month file's line would.
// Entries are ordered by Redis itself, one order for every process that shares it; a cursor is
// an entry id, and a page is XREVRANGE from just before it. The stream keeps 30 days (approximate
// MINID trimming on each append, which costs nothing per call); the sums behind /usage and the
// budgets are kept apart and are not trimmed. One page reads at most MAX_SCAN_ENTRIES entries (a
// rare filter over a month of traffic): it then ends early, with a cursor where it stopped.

export const REQUEST_LOG_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const BATCH = 500;
const MAX_SCAN_ENTRIES = 20_000;
const positionSchema = z.string().regex(/^\d{1,20}-\d{1,20}$/);

type Multi = ReturnType<RedisClient['multi']>;

export function appendToRequestLog(multi: Multi, keys: RedisKeys, entry: UsageRecord): void {
  multi.xAdd(keys.requestLog, '*', { record: serialiseUsageLine(entry) }, { TRIM: { strategy: 'MINID', strategyModifier: '~', threshold: Date.now() - REQUEST_LOG_RETENTION_MS } });
}

export function createRedisRequestLog(connection: RedisConnection, keys: RedisKeys): RequestLog {
  return {
    async page(selection) {
      let high = selection.before === undefined ? '+' : `(${decodeCursor(selection.before, positionSchema)}`;
      const records: LoggedRecord[] = [];
      for (let scanned = 0; scanned < MAX_SCAN_ENTRIES; ) {
        const entries = (await connection.call((client) => client.xRevRange(keys.requestLog, high, '-', { COUNT: BATCH }))) ?? [];
        for (const { id, message } of entries) {
          scanned++;
          const record = parseUsageLine(String(message.record));
          if (record !== undefined && matchesSelection(record, selection)) {
            // One more than asked, to know that a next page exists.
            if (records.length === selection.limit) return { records, next: encodeCursor(records.at(-1)!.position) };
            records.push({ record, position: String(id) });
          }
          high = `(${String(id)}`;
        }
        if (entries.length < BATCH) return { records };
      }
      return { records, next: encodeCursor(high.slice(1)) };
    },
  };
}
