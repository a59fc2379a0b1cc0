import { createReadStream, statSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../../logging/logger.ts';
import { logFieldsOf } from '../../logs/log-fields-of.ts';
import { createMemoryUsageLedger } from '../../storage/memory-usage-ledger.ts';
import type { UsageLedger, UsageRecord } from '../../storage/usage-ledger.ts';
import { readCheckpoint, serialiseCheckpoint, writeCheckpoint } from './usage-checkpoint.ts';

// The usage ledger on Node: one JSON line per record, appended to one file per UTC month
// (`usage/2026-12.jsonl`, mode 0600) and summed in memory, rebuilt from the files at start. A
// crash (even kill -9) loses at most the line being written and never touches an earlier one; a
// torn last line is skipped when the file is read back, and the next record starts on a line of
// its own. (A power cut can lose what the kernel had not yet flushed: there is no fsync per record.)
// The sums are also saved now and then with how far into each file they go (usage-checkpoint.ts),
// so a start reads only what was written since.

const FILE_PATTERN = /^(\d{4}-\d{2})\.jsonl$/;

export interface FileUsageLedger extends UsageLedger {
  close(): Promise<void>;
}

export interface FileUsageLedgerOptions {
  /** false once another process holds the data folder (its lock was lost); records then stay in memory. */
  mayWrite?: () => boolean;
  /** How often the sums are saved when records came in since the last time. */
  checkpointEveryMs?: number;
}

const CHECKPOINT_EVERY_MS = 60_000;

export async function openFileUsageLedger(folder: string, logger: Logger, options: FileUsageLedgerOptions = {}): Promise<FileUsageLedger> {
  const mayWrite = options.mayWrite ?? (() => true);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const names = (await listUsageFiles(folder)).map((path) => basename(path));
  const checkpoint = await readCheckpoint(folder, names, logger);
  const memory = createMemoryUsageLedger(checkpoint?.sums);
  for (const name of names) await replay(join(folder, name), memory.add, logger, checkpoint?.offsets.get(name) ?? 0);
  /** The month files the sums include, to measure for the next checkpoint. */
  const months = new Set(names);

  // One file handle per month, opened once even when records race at a month's first moment.
  // Each record is one write(2) of one whole line to a file opened with O_APPEND, so concurrent
  // records never interleave, and record() resolves only once the line is in the kernel: the
  // answer a client got is on record even if the process is killed the next moment. The write is
  // synchronous: a line appended to the page cache costs about 5 µs of CPU here, where
  // FileHandle.write's round trip through the thread pool cost 40-55 µs, 15% of the proxy's CPU
  // per chat (bench/README.md, "Where the time goes").
  let current: { month: string; handle: Promise<FileHandle> } | undefined;
  function handleFor(month: string): Promise<FileHandle> {
    if (current?.month === month) return current.handle;
    const previous = current;
    const path = join(folder, `${month}.jsonl`);
    const handle = endWithNewline(path).then(() => open(path, 'a', 0o600));
    current = { month, handle };
    void previous?.handle.then((old) => old.close(), () => undefined);
    return handle;
  }

  // The sums and the files must agree at the moment a checkpoint is taken: a record is added to
  // the sums in the same synchronous step as its line is written, and the checkpoint's sums and
  // file sizes are read together in one step too.
  let dirty = false;
  let saving: Promise<void> | undefined;
  function saveCheckpoint(): Promise<void> {
    if (!dirty || !mayWrite() || saving) return saving ?? Promise.resolve();
    dirty = false;
    saving = Promise.resolve()
      .then(() => {
        // Synchronous from here to the text: no record can come in between.
        const offsets = new Map<string, number>();
        for (const name of months) offsets.set(name, statSync(join(folder, name)).size);
        return writeCheckpoint(folder, serialiseCheckpoint({ sums: memory.sums(), offsets }));
      })
      .catch((error: unknown) => {
        dirty = true;
        logger.warn('usage ledger: could not save a checkpoint', { error: error instanceof Error ? error.message : 'unknown' });
      })
      .finally(() => {
        saving = undefined;
      });
    return saving;
  }
  const timer = setInterval(() => void saveCheckpoint(), options.checkpointEveryMs ?? CHECKPOINT_EVERY_MS);
  timer.unref();

  return {
    async record(entry) {
      if (!mayWrite()) {
        memory.add(entry);
        return;
      }
      const month = new Date(entry.time).toISOString().slice(0, 7);
      const handle = await handleFor(month);
      writeSync(handle.fd, `${serialise(entry)}\n`);
      memory.add(entry);
      months.add(`${month}.jsonl`);
      dirty = true;
    },
    query: (selection) => memory.query(selection),
    tokensSince: (keyId, since) => memory.tokensSince(keyId, since),
    costSince: (keyId, since) => memory.costSince(keyId, since),
    lastUsed: () => memory.lastUsed(),
    async close() {
      clearInterval(timer);
      await saving;
      await saveCheckpoint();
      const opening = current?.handle;
      current = undefined;
      await (await opening?.catch(() => undefined))?.close();
    },
  };
}

function serialise(entry: UsageRecord): string {
  return JSON.stringify({
    time: new Date(entry.time).toISOString(),
    keyId: entry.keyId,
    providerId: entry.providerId,
    model: entry.model,
    routeName: entry.routeName ?? null,
    promptTokens: entry.promptTokens,
    completionTokens: entry.completionTokens,
    cachedPromptTokens: entry.cachedPromptTokens,
    cacheWriteTokens: entry.cacheWriteTokens,
    reasoningTokens: entry.reasoningTokens,
    costUsd: entry.costUsd,
    outcome: entry.outcome,
    latencyMs: entry.latencyMs,
    timeToFirstTokenMs: entry.timeToFirstTokenMs,
    cached: entry.cached,
    // The request log's fields (undefined ones are left out of the line).
    id: entry.id,
    requestId: entry.requestId,
    route: entry.route,
    stream: entry.stream,
    cacheStatus: entry.cacheStatus,
    errorCode: entry.errorCode,
    estimated: entry.estimated === true,
  });
}

function parse(line: string): UsageRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const time = typeof record.time === 'string' ? Date.parse(record.time) : Number.NaN;
  if (Number.isNaN(time) || typeof record.providerId !== 'string' || typeof record.model !== 'string') return undefined;
  const count = (field: unknown) => (typeof field === 'number' && Number.isFinite(field) && field >= 0 ? field : 0);
  return {
    time,
    keyId: typeof record.keyId === 'string' ? record.keyId : null,
    providerId: record.providerId,
    model: record.model,
    routeName: typeof record.routeName === 'string' ? record.routeName : null,
    promptTokens: count(record.promptTokens),
    completionTokens: count(record.completionTokens),
    // Lines written before v1.2 have neither the token kinds nor a cost: 0 for both.
    cachedPromptTokens: count(record.cachedPromptTokens),
    cacheWriteTokens: count(record.cacheWriteTokens),
    reasoningTokens: count(record.reasoningTokens),
    costUsd: record.costUsd === null ? null : count(record.costUsd),
    outcome: typeof record.outcome === 'number' || typeof record.outcome === 'string' ? record.outcome : 'UNKNOWN',
    latencyMs: count(record.latencyMs),
    timeToFirstTokenMs: typeof record.timeToFirstTokenMs === 'number' ? record.timeToFirstTokenMs : null,
    cached: record.cached === true,
    ...logFieldsOf(record),
    estimated: record.estimated === true,
  };
}

/** One record as the JSON of a month file's line, and back (the Redis request log keeps the same text). */
export { parse as parseUsageLine, serialise as serialiseUsageLine };

async function replay(path: string, add: (entry: UsageRecord) => void, logger: Logger, fromByte: number): Promise<void> {
  for await (const entry of readUsageFile(path, logger, fromByte)) add(entry);
}

/** The records of one month's file, in order, from a line's first byte on; unreadable lines (a torn last line) are skipped and counted in the log. */
export async function* readUsageFile(path: string, logger: Logger, fromByte = 0): AsyncGenerator<UsageRecord> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8', start: fromByte }), crlfDelay: Infinity });
  let skipped = 0;
  for await (const line of lines) {
    if (line.length === 0) continue;
    const entry = parse(line);
    if (entry) yield entry;
    else skipped++;
  }
  // A torn line from a crash is expected at most once per crash; it is left in the file as it is.
  if (skipped > 0) logger.warn('usage ledger: skipped unreadable lines', { path, skipped });
}

/** The month files of a usage folder, oldest first. */
export async function listUsageFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names.filter((name) => FILE_PATTERN.test(name)).sort().map((name) => join(folder, name));
}

/** After a crash the last line may be torn: start the next record on a line of its own. */
async function endWithNewline(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) await handle.write('\n', size);
  } finally {
    await handle.close();
  }
}
