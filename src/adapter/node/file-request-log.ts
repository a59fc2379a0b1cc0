import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import * as z from 'zod';
import { decodeCursor, encodeCursor } from '../../logs/log-cursor.ts';
import { matchesSelection, type LoggedRecord, type RequestLog } from '../../logs/request-log.ts';
import { listUsageFiles, parseUsageLine } from './file-usage-ledger.ts';
import { readLinesBackwards } from './read-lines-backwards.ts';

// The request log on Node, read from the usage ledger's month files (usage/YYYY-MM.jsonl) newest
// first without loading them: the newest file is read backwards from its end in 64 KiB chunks
// (read-lines-backwards.ts), then the month before, and so on, until a page is full. Memory stays
// at a chunk and a page whatever the files hold. A cursor is [month, byte offset of a line's
// start]: the next page is the lines before it, so lines appended meanwhile (after it) never
// shift a page. One page reads at most MAX_SCAN_BYTES of lines (a filter that matches little
// across years of records): it then ends early, with a cursor where the reading stopped.

const MAX_SCAN_BYTES = 32 * 1024 * 1024;
const positionSchema = z.tuple([z.string().regex(/^\d{4}-\d{2}$/), z.number().int().min(0)]);

export function createFileRequestLog(folder: string): RequestLog {
  return {
    async page(selection) {
      const before = selection.before === undefined ? undefined : decodeCursor(selection.before, positionSchema);
      const records: LoggedRecord[] = [];
      let scanned = 0;
      /** Where the last record taken starts: [month, offset]. */
      let last: [string, number] = ['', 0];
      for (const path of (await listUsageFiles(folder)).reverse()) {
        const month = basename(path, '.jsonl');
        if (before !== undefined && month > before[0]) continue;
        const handle = await open(path, 'r');
        try {
          const end = before !== undefined && month === before[0] ? before[1] : await endOfLastLine(handle);
          for await (const line of readLinesBackwards(handle, end)) {
            scanned += line.text.length + 1;
            const record = parseUsageLine(line.text);
            if (record !== undefined && matchesSelection(record, selection)) {
              // One more than asked, to know that a next page exists.
              if (records.length === selection.limit) return { records, next: encodeCursor(last) };
              records.push({ record, position: `${month}:${line.start}` });
              last = [month, line.start];
            }
            if (scanned >= MAX_SCAN_BYTES) return { records, next: encodeCursor([month, line.start]) };
          }
        } finally {
          await handle.close();
        }
      }
      return { records };
    },
  };
}

/** Where the last whole line ends: a line being written (or torn by a crash) is not read. */
async function endOfLastLine(handle: FileHandle): Promise<number> {
  const { size } = await handle.stat();
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  return 0;
}
