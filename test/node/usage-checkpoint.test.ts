import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFileUsageLedger, type FileUsageLedger } from '../../src/adapter/node/file-usage-ledger.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { UsageRecord, UsageSelection } from '../../src/storage/usage-ledger.ts';

// The usage ledger's checkpoint: a restart reads only the lines written after it, gives the same
// sums as reading every line, and falls back to every line when the checkpoint cannot be trusted.

const DECEMBER = Date.UTC(2026, 11, 1, 9);
const ALL: UsageSelection = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2027, 11, 31), groupBy: ['key', 'provider', 'model', 'day'] };

let folder: string;
let warnings: string[];
const logger = () => createLogger({ level: 'warn', write: (line) => warnings.push(line) });
const open = (checkpointEveryMs = 3_600_000) => openFileUsageLedger(folder, logger(), { checkpointEveryMs });
const opened: FileUsageLedger[] = [];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gateway-usage-checkpoint-'));
  warnings = [];
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((ledger) => ledger.close()));
  await rm(folder, { recursive: true, force: true });
});

function record(index: number, time = DECEMBER + index * 60_000): UsageRecord {
  return {
    time,
    keyId: index % 3 === 0 ? null : `key-${index % 2}`,
    providerId: `provider-${index % 2}`,
    model: index % 4 === 0 ? 'model-a' : 'model-b',
    promptTokens: index,
    completionTokens: 2 * index,
    cachedPromptTokens: index % 2,
    cacheWriteTokens: index % 3,
    reasoningTokens: index % 4,
    costUsd: index % 7 === 0 ? null : index / 1e6,
    outcome: index % 5 === 0 ? 'UPSTREAM_TIMEOUT' : 200,
    latencyMs: 10,
    timeToFirstTokenMs: null,
    cached: false,
  };
}

async function recordAll(ledger: FileUsageLedger, from: number, to: number) {
  for (let index = from; index < to; index++) await ledger.record(record(index));
}

async function sums(ledger: FileUsageLedger) {
  return {
    rows: await ledger.query(ALL),
    keyTokens: [await ledger.tokensSince('key-0', 0), await ledger.tokensSince('key-1', DECEMBER + 30 * 60_000)],
    lastUsed: [...(await ledger.lastUsed())].sort(),
  };
}

/** The sums a ledger reading every line gives (no checkpoint in its folder). */
async function sumsFromEveryLine() {
  const copy = await mkdtemp(join(tmpdir(), 'gateway-usage-every-line-'));
  try {
    await writeFile(join(copy, '2026-12.jsonl'), await readFile(join(folder, '2026-12.jsonl')));
    const ledger = await openFileUsageLedger(copy, createLogger({ level: 'silent', write: () => undefined }));
    const result = await sums(ledger);
    await ledger.close();
    return result;
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

describe('the usage ledger checkpoint', () => {
  it('is saved on close; a restart reads only the lines after it and sums the same as reading every line', async () => {
    const first = await open();
    await recordAll(first, 0, 40);
    const before = await sums(first);
    await first.close();
    expect(existsSync(join(folder, 'checkpoint.json'))).toBe(true);

    // Every byte the checkpoint covers is made unreadable: read again, each line would be skipped
    // with a warning and the sums would be empty.
    const ledgerFile = join(folder, '2026-12.jsonl');
    const covered = await readFile(ledgerFile, 'utf8');
    await writeFile(ledgerFile, covered.replace(/[^\n]/g, 'x'));

    const second = await open();
    opened.push(second);
    expect(await sums(second)).toEqual(before);
    expect(warnings).toEqual([]);

    // Lines after the checkpoint are read; with the covered bytes put back, the sums are what
    // reading every line gives.
    await recordAll(second, 40, 60);
    await second.close();
    opened.splice(0);
    const tail = (await readFile(ledgerFile, 'utf8')).slice(covered.length);
    await writeFile(ledgerFile, covered + tail);
    const third = await open();
    opened.push(third);
    expect(await sums(third)).toEqual(await sumsFromEveryLine());
    expect((await third.query(ALL)).reduce((total, row) => total + row.requests, 0)).toBe(60);
  });

  it('after a kill (no close), a restart adds the lines written since the last checkpoint', async () => {
    const ledger = await open(20);
    await recordAll(ledger, 0, 10);
    await expect.poll(() => existsSync(join(folder, 'checkpoint.json')), { timeout: 2_000 }).toBe(true);
    await recordAll(ledger, 10, 25);
    // No close(): the process "dies" here, with lines the checkpoint may not include.
    const restarted = await open();
    opened.push(restarted, ledger);
    expect(await sums(restarted)).toEqual(await sumsFromEveryLine());
    expect((await restarted.query(ALL)).reduce((total, row) => total + row.requests, 0)).toBe(25);
  });

  it.each([
    ['unreadable', async () => writeFile(join(folder, 'checkpoint.json'), '{"version":1,"files":')],
    ['counting more bytes than a file holds', async () => truncate(join(folder, '2026-12.jsonl'), (await readFile(join(folder, '2026-12.jsonl'))).length - 5)],
    ['counting a month file that is gone', async () => {
      const checkpoint = JSON.parse(await readFile(join(folder, 'checkpoint.json'), 'utf8'));
      checkpoint.files['2026-11.jsonl'] = 10;
      await writeFile(join(folder, 'checkpoint.json'), JSON.stringify(checkpoint));
    }],
    ['of another version', async () => {
      const checkpoint = JSON.parse(await readFile(join(folder, 'checkpoint.json'), 'utf8'));
      await writeFile(join(folder, 'checkpoint.json'), JSON.stringify({ ...checkpoint, version: 2 }));
    }],
  ])('a checkpoint %s is not used: every line is read, with a warning', async (_label, spoil) => {
    const ledger = await open();
    await recordAll(ledger, 0, 30);
    await ledger.close();
    await spoil();

    const restarted = await open();
    opened.push(restarted);
    expect(await sums(restarted)).toEqual(await sumsFromEveryLine());
    expect(warnings.join('\n')).toContain('checkpoint not used');
  });

  it('holds sums and ids only: no field a record did not have', async () => {
    const ledger = await open();
    await recordAll(ledger, 0, 5);
    await ledger.close();
    const checkpoint = JSON.parse(await readFile(join(folder, 'checkpoint.json'), 'utf8'));
    expect(Object.keys(checkpoint).sort()).toEqual(['buckets', 'files', 'lastUsed', 'version']);
    expect(Object.keys(checkpoint.buckets[0]).sort()).toEqual([
      'cacheWriteTokens',
      'cachedPromptTokens',
      'completionTokens',
      'costNanos',
      'errors',
      'hour',
      'keyId',
      'model',
      'promptTokens',
      'providerId',
      'reasoningTokens',
      'requests',
      'unpricedRequests',
    ]);
    expect(checkpoint.files).toEqual({ '2026-12.jsonl': (await readFile(join(folder, '2026-12.jsonl'))).length });
  });
});
