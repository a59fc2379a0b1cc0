import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { DuplicateRecordError } from '../../storage/duplicate-record-error.ts';
import { atomicWriteFile } from './atomic-write-file.ts';

// Records of one kind in one JSON file (mode 0600), `{"version":1,"<field>":[...]}`. Reads come
// from memory; every write is serialised through one promise chain and replaces the whole file
// atomically, and memory changes only after the file did, so a failed write loses nothing and two
// concurrent requests never overwrite each other's change. The providers and the access keys are
// each one of these.

export class StoreFileError extends Error {
  constructor(path: string, reason: string) {
    super(`Cannot use the data file ${path}: ${reason}. It has been left untouched; fix or move it, then start again.`);
    this.name = 'StoreFileError';
  }
}

export interface JsonFileCollection<T extends { id: string }> {
  readonly path: string;
  all(): T[];
  get(id: string): T | undefined;
  create(record: T): Promise<T>;
  update(id: string, change: (current: T) => T): Promise<T | null>;
  delete(id: string): Promise<boolean>;
  putMany(records: T[]): Promise<void>;
  /** Called with the new contents after every write, before the write's promise resolves. */
  onChange(listener: (records: ReadonlyMap<string, T>) => void): void;
}

export interface JsonFileCollectionOptions<T> {
  /** Throws when this process may no longer write the file (its lock was lost). */
  assertWritable?: () => void;
  /** A second unique key beside the id (a provider's name, an access key's hash), checked inside the serialised write. */
  unique?: { of: (record: T) => string; conflict: (record: T) => Error };
}

export async function openJsonFileCollection<T extends { id: string }>(
  path: string,
  field: string,
  recordSchema: z.ZodType<T>,
  kind: string,
  options: JsonFileCollectionOptions<T> = {},
): Promise<JsonFileCollection<T>> {
  const assertWritable = options.assertWritable ?? (() => undefined);
  const fileSchema = z.object({ version: z.literal(1), [field]: z.array(recordSchema) });
  let records = new Map<string, T>();
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StoreFileError(path, `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (text !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new StoreFileError(path, 'it is not valid JSON');
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) throw new StoreFileError(path, `it does not hold ${field} in the expected format (${parsed.error.issues[0]?.path.join('.') ?? 'root'})`);
    records = new Map((parsed.data[field] as T[]).map((record) => [record.id, record]));
  }

  const listeners: Array<(records: ReadonlyMap<string, T>) => void> = [];
  let queue: Promise<unknown> = Promise.resolve();
  function serialise<R>(task: () => Promise<R>): Promise<R> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  function assertUnique(next: ReadonlyMap<string, T>, changed: readonly T[]): void {
    const { unique } = options;
    if (!unique) return;
    const holders = new Map<string, string>();
    for (const record of next.values()) holders.set(unique.of(record), record.id);
    if (holders.size === next.size) return;
    for (const record of changed) {
      const key = unique.of(record);
      if ([...next.values()].some((other) => other.id !== record.id && unique.of(other) === key)) throw unique.conflict(record);
    }
  }

  async function commit(next: Map<string, T>, changed: readonly T[]): Promise<void> {
    assertWritable();
    assertUnique(next, changed);
    await atomicWriteFile(path, `${JSON.stringify({ version: 1, [field]: [...next.values()] }, null, 2)}\n`);
    records = next;
    for (const listener of listeners) listener(next);
  }

  return {
    path,
    all: () => [...records.values()],
    get: (id) => records.get(id),
    create(record) {
      return serialise(async () => {
        if (records.has(record.id)) throw new DuplicateRecordError(kind, record.id);
        await commit(new Map(records).set(record.id, record), [record]);
        return record;
      });
    },
    update(id, change) {
      return serialise(async () => {
        const current = records.get(id);
        if (!current) return null;
        const updated = change(current);
        await commit(new Map(records).set(id, updated), [updated]);
        return updated;
      });
    },
    delete(id) {
      return serialise(async () => {
        if (!records.has(id)) return false;
        const next = new Map(records);
        next.delete(id);
        await commit(next, []);
        return true;
      });
    },
    putMany(batch) {
      return serialise(async () => {
        const next = new Map(records);
        for (const record of batch) next.set(record.id, record);
        await commit(next, batch);
      });
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
