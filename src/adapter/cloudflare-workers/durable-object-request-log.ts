import * as z from 'zod';
import { StorageUnavailableError } from '../../errors/api-error.ts';
import { decodeCursor, encodeCursor } from '../../logs/log-cursor.ts';
import type { RequestLog } from '../../logs/request-log.ts';
import type { UsageLedgerNamespace } from './worker-bindings.ts';

// The request log over RPC to the ledger's Durable Object, which reads it from its SQLite table
// (request-log-table.ts). A cursor is a rowid.

const positionSchema = z.number().int().positive();

export function createDurableObjectRequestLog(namespace: UsageLedgerNamespace): RequestLog {
  return {
    async page({ before, ...selection }) {
      const beforeSeq = before === undefined ? undefined : decodeCursor(before, positionSchema);
      // One more than asked, to know that a next page exists.
      const rows = await namespace
        .get(namespace.idFromName('ledger'))
        .logPage({ ...selection, beforeSeq, limit: selection.limit + 1 })
        .catch(() => {
          throw new StorageUnavailableError('The usage ledger cannot be reached; try again shortly');
        });
      const shown = rows.slice(0, selection.limit);
      return { records: shown.map((row) => ({ record: row.record, position: String(row.seq) })), next: rows.length > selection.limit ? encodeCursor(shown.at(-1)!.seq) : undefined };
    },
  };
}
