import type * as z from 'zod';
import { StorageUnavailableError } from '../../../errors/api-error.ts';
import type { Logger } from '../../../logging/logger.ts';
import { DuplicateRecordError } from '../../../storage/duplicate-record-error.ts';
import type { RedisConnection } from './redis-connection.ts';

// Records of one kind as JSON in one Redis hash (id -> JSON, the same JSON as the data files),
// with a second unique key kept in an index hash (a provider's lower-case name, an access key's
// hash). Every write is one Lua script, run by Redis atomically: it checks that each record it
// replaces is still what this process read (compare-and-set) and that no other record holds the
// unique key, then writes the records and the index together, or nothing. A record changed by
// another process in between makes the script refuse, and the write is redone on what is there
// now, so two gateways never lose each other's change. A script rather than WATCH/MULTI: WATCH
// needs a connection of its own per transaction, a script runs on the shared one.

const WRITE_SCRIPT = `
local n = tonumber(ARGV[1])
local inBatch = {}
for i = 1, n do inBatch[ARGV[i * 5 - 3]] = true end
local claimed = {}
for i = 1, n do
  local at = i * 5 - 3
  local id, expected, json, unique = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 4]
  if (redis.call('HGET', KEYS[1], id) or '') ~= expected then return {'changed', i} end
  if json ~= '' then
    if claimed[unique] then return {'taken', i} end
    claimed[unique] = true
    local holder = redis.call('HGET', KEYS[2], unique)
    if holder and holder ~= id and not inBatch[holder] and redis.call('HEXISTS', KEYS[1], holder) == 1 then return {'taken', i} end
  end
end
for i = 1, n do
  local at = i * 5 - 3
  local id, expected, oldUnique = ARGV[at], ARGV[at + 1], ARGV[at + 3]
  if expected ~= '' and redis.call('HGET', KEYS[2], oldUnique) == id then redis.call('HDEL', KEYS[2], oldUnique) end
end
for i = 1, n do
  local at = i * 5 - 3
  local id, json, unique = ARGV[at], ARGV[at + 2], ARGV[at + 4]
  if json == '' then
    redis.call('HDEL', KEYS[1], id)
  else
    redis.call('HSET', KEYS[1], id, json)
    redis.call('HSET', KEYS[2], unique, id)
  end
  if KEYS[2 + i] then redis.call('DEL', KEYS[2 + i]) end
end
return {'ok'}
`;

/** Compare-and-set rounds lost to other writers before giving up with a 503. */
const MAX_ATTEMPTS = 20;

export class CorruptRedisRecordError extends Error {
  constructor(hashKey: string, id: string) {
    super(`The value of ${id} in the Redis hash ${hashKey} is not a valid record; fix or delete it`);
    this.name = 'CorruptRedisRecordError';
  }
}

export interface IndexedRecordsOptions<T extends { id: string }> {
  connection: RedisConnection;
  logger: Logger;
  recordsKey: string;
  indexKey: string;
  schema: z.ZodType<T>;
  kind: string;
  uniqueOf(record: T): string;
  conflict(record: T): Error;
  /** A key deleted in the same script as each record's write (the provider's cached model list). */
  alsoDelete?(id: string): string;
}

interface Write<T> {
  id: string;
  /** The JSON this process read, '' for none. */
  expected: string;
  current: T | null;
  next: T | null;
}

export function createIndexedRecords<T extends { id: string }>(options: IndexedRecordsOptions<T>) {
  const { connection, recordsKey, indexKey } = options;

  function parse(id: string, text: string): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CorruptRedisRecordError(recordsKey, id);
    }
    const parsed = options.schema.safeParse(json);
    if (!parsed.success || parsed.data.id !== id) throw new CorruptRedisRecordError(recordsKey, id);
    return parsed.data;
  }

  const parseOrNull = (id: string, text: string | null) => (text === null ? null : parse(id, text));
  const get = async (id: string): Promise<T | null> => parseOrNull(id, await connection.call((client) => client.hGet(recordsKey, id)));

  /** Runs the script once; 'changed' means another writer was first. */
  async function write(batch: readonly Write<T>[]): Promise<'ok' | 'changed'> {
    const args = [String(batch.length)];
    for (const entry of batch) {
      args.push(
        entry.id,
        entry.expected,
        entry.next === null ? '' : JSON.stringify(entry.next),
        entry.current === null ? '' : options.uniqueOf(entry.current),
        entry.next === null ? '' : options.uniqueOf(entry.next),
      );
    }
    const keys = [recordsKey, indexKey, ...(options.alsoDelete ? batch.map((entry) => options.alsoDelete!(entry.id)) : [])];
    const reply = (await connection.call((client) => client.eval(WRITE_SCRIPT, { keys, arguments: args }))) as [string, number?];
    if (reply[0] === 'ok' || reply[0] === 'changed') return reply[0];
    // 'taken': only a record being written (not deleted) can claim a unique key.
    throw options.conflict(batch[reply[1]! - 1]!.next!);
  }

  /** Reads, decides and writes until no other writer came in between. */
  async function readThenWrite<R>(ids: readonly string[], decide: (current: Array<{ text: string | null; record: T | null }>) => { batch: Write<T>[]; result: R }): Promise<R> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const texts = ids.length === 0 ? [] : await connection.call((client) => client.hmGet(recordsKey, [...ids]));
      const current = ids.map((id, index) => {
        const text = texts[index] ?? null;
        return { text, record: text === null ? null : parseOrNull(id, text) };
      });
      const { batch, result } = decide(current);
      if (batch.length === 0 || (await write(batch)) === 'ok') return result;
    }
    throw new StorageUnavailableError('Too many concurrent changes to the same records; try again');
  }

  return {
    async all(): Promise<T[]> {
      const entries = await connection.call((client) => client.hGetAll(recordsKey));
      const records: T[] = [];
      for (const [id, text] of Object.entries(entries)) {
        try {
          records.push(parse(id, text));
        } catch (error) {
          if (!(error instanceof CorruptRedisRecordError)) throw error;
          // One bad record must not take down every route that lists.
          options.logger.warn('skipping a corrupt record in Redis', { key: recordsKey, id });
        }
      }
      return records;
    },

    get,

    async getByUnique(value: string): Promise<T | null> {
      const id = await connection.call((client) => client.hGet(indexKey, value));
      if (id === null) return null;
      const record = await get(id);
      // An index entry whose record is gone, or now holds another value, finds nothing.
      return record !== null && options.uniqueOf(record) === value ? record : null;
    },

    create(record: T): Promise<T> {
      return readThenWrite([record.id], ([found]) => {
        if (found!.text !== null) throw new DuplicateRecordError(options.kind, record.id);
        return { batch: [{ id: record.id, expected: '', current: null, next: record }], result: record };
      });
    },

    update(id: string, change: (current: T) => T): Promise<T | null> {
      return readThenWrite([id], ([found]) => {
        if (found!.record === null) return { batch: [], result: null };
        const next = change(found!.record);
        return { batch: [{ id, expected: found!.text!, current: found!.record, next }], result: next };
      });
    },

    async delete(id: string): Promise<boolean> {
      // A corrupt record can still be deleted (its index entry is then left behind, and ignored).
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const text = await connection.call((client) => client.hGet(recordsKey, id));
        if (text === null) return false;
        let current: T | null;
        try {
          current = parse(id, text);
        } catch {
          current = null;
        }
        if ((await write([{ id, expected: text, current, next: null }])) === 'ok') return true;
      }
      throw new StorageUnavailableError('Too many concurrent changes to the same records; try again');
    },

    async putMany(records: readonly T[]): Promise<void> {
      await readThenWrite(records.map((record) => record.id), (current) => ({
        batch: records.map((record, index) => ({ id: record.id, expected: current[index]!.text ?? '', current: current[index]!.record, next: record })),
        result: undefined,
      }));
    },
  };
}
