import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import type { Logger } from '../../logging/logger.ts';
import type { UsageSums } from '../../storage/memory-usage-ledger.ts';
import { atomicWriteFile } from './atomic-write-file.ts';

// The usage ledger's sums as they stood after a known number of bytes of each month's file
// (`usage/checkpoint.json`), so a restart reads only the lines written since instead of every
// line of every month: replaying costs about 5 µs per record here, which is minutes for a busy
// month. The month files stay the record; the checkpoint is only a shortcut through them, and
// any doubt about it (unreadable, a file shorter than it says, a file gone) means reading the
// files whole, as without it.

export const CHECKPOINT_FILE = 'checkpoint.json';

const count = z.number().int().nonnegative();
const checkpointSchema = z.object({
  version: z.literal(1),
  /** Month file name → the bytes of it the sums include (always whole lines). */
  files: z.record(z.string().regex(/^\d{4}-\d{2}\.jsonl$/), count),
  buckets: z.array(
    z.object({
      keyId: z.string().nullable(),
      providerId: z.string(),
      model: z.string(),
      routeName: z.string().nullable().optional(),
      hour: count,
      requests: count,
      errors: count,
      promptTokens: count,
      completionTokens: count,
      // Checkpoints written before v1.2 have none of these.
      cachedPromptTokens: count.default(0),
      cacheWriteTokens: count.default(0),
      reasoningTokens: count.default(0),
      costNanos: count.default(0),
      unpricedRequests: count.default(0),
    }),
  ),
  lastUsed: z.array(z.tuple([z.string(), count])),
});

export interface UsageCheckpoint {
  sums: UsageSums;
  /** Month file name → bytes already in the sums. */
  offsets: Map<string, number>;
}

export function serialiseCheckpoint(checkpoint: UsageCheckpoint): string {
  return JSON.stringify({ version: 1, files: Object.fromEntries(checkpoint.offsets), buckets: checkpoint.sums.buckets, lastUsed: checkpoint.sums.lastUsed });
}

export async function writeCheckpoint(folder: string, text: string): Promise<void> {
  await atomicWriteFile(join(folder, CHECKPOINT_FILE), text);
}

/** The checkpoint, if there is one that fits the month files as they are now (monthFiles: names). */
export async function readCheckpoint(folder: string, monthFiles: string[], logger: Logger): Promise<UsageCheckpoint | undefined> {
  let text: string;
  try {
    text = await readFile(join(folder, CHECKPOINT_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const ignore = (why: string) => {
    logger.warn('usage ledger: checkpoint not used, reading the month files whole', { why });
    return undefined;
  };
  let parsed: z.infer<typeof checkpointSchema>;
  try {
    parsed = checkpointSchema.parse(JSON.parse(text));
  } catch {
    return ignore('unreadable');
  }
  for (const [name, offset] of Object.entries(parsed.files)) {
    if (!monthFiles.includes(name)) return ignore('a month file it counts is gone');
    if ((await stat(join(folder, name))).size < offset) return ignore('a month file is shorter than it counts');
  }
  return { sums: { buckets: parsed.buckets, lastUsed: parsed.lastUsed }, offsets: new Map(Object.entries(parsed.files)) };
}
