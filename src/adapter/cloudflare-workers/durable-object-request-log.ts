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
    async page(selection) {
      const beforeSeq = selection.before === undefined ? undefined : decodeCursor(selection.before, positionSchema);
      let rows;
      try {
        rows = await namespace.get(namespace.idFromName('ledger')).logPage({
          // One more than asked, to know that a next page exists.
          limit: selection.limit + 1,
          ...(beforeSeq === undefined ? {} : { beforeSeq }),
          ...(selection.keyId === undefined ? {} : { key: { id: selection.keyId } }),
          ...(selection.providerId === undefined ? {} : { providerId: selection.providerId }),
          ...(selection.model === undefined ? {} : { model: selection.model }),
          ...(selection.status === undefined ? {} : { status: selection.status }),
        });
      } catch {
        throw new StorageUnavailableError('The usage ledger cannot be reached; try again shortly');
      }
      const shown = rows.slice(0, selection.limit);
      const records = shown.map((row) => ({ record: row.record, position: String(row.seq) }));
      return rows.length > selection.limit ? { records, next: encodeCursor(shown.at(-1)!.seq) } : { records };
    },
  };
}
