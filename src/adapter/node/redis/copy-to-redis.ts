import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../logging/logger.ts';
import type { StoredAccessKey } from '../../../storage/access-key-store.ts';
import { hasPlainCustomHeaders } from '../../../providers/seal-custom-headers.ts';
import type { StoredRoute } from '../../../storage/model-route-store.ts';
import type { StoredProvider } from '../../../storage/provider-store.ts';
import type { UsageRecord } from '../../../storage/usage-ledger.ts';
import { listUsageFiles, readUsageFile } from '../file-usage-ledger.ts';
import type { RedisBackend } from './redis-backend.ts';

// What `npm run migrate-store` does: copies a data folder (providers with their ciphertexts (key and
// custom header values) and the salt exactly as stored, access keys, every usage record) into a
// Redis backend. It never
// decrypts anything, so it needs no encryption key. It refuses a Redis that already holds keys
// under the prefix, unless that is this very copy (then it does nothing: running it twice is
// harmless) or `replace` is set (then everything under the prefix is deleted first).

export interface DataFolderContents {
  providers: StoredProvider[];
  /** The salt file's base64 text, or undefined when the folder has none (and no providers). */
  salt: string | undefined;
  accessKeys: StoredAccessKey[];
  /** Routes (routes.json); absent when the caller read none. */
  routes?: StoredRoute[];
  /** Paths of the usage month files. */
  usageFiles: string[];
  /** SHA-256 over every file read, so a second run can tell it is copying the same thing. */
  digest: string;
}

export interface CopyResult {
  outcome: 'copied' | 'already-copied';
  providers: number;
  accessKeys: number;
  usageRecords: number;
}

export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefusedError';
  }
}

const USAGE_BATCH = 200;

export async function readDataFolder(options: { providersFile: string; dataFolder: string; providers: StoredProvider[]; accessKeys: StoredAccessKey[]; routes?: StoredRoute[] }): Promise<DataFolderContents> {
  const hash = createHash('sha256');
  const salt = await readFile(`${options.providersFile}.salt`, 'utf8').then((text) => text.trim(), (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (salt === undefined && options.providers.length > 0) throw new CopyRefusedError(`${options.providersFile}.salt is missing but providers are stored: without it no key can be decrypted. Restore it first.`);
  // Copied as stored, never decrypted: values an older version stored in plain text must not land
  // in Redis so. The server encrypts them at its start.
  const plain = options.providers.filter(hasPlainCustomHeaders);
  if (plain.length > 0) {
    throw new CopyRefusedError(`${plain.length} provider(s) in ${options.providersFile} hold custom header values in plain text (stored by an older version). Start the server once on this data folder (it encrypts them), stop it, then copy. Nothing was written.`);
  }
  const usageFiles = await listUsageFiles(join(options.dataFolder, 'usage'));
  for (const path of [options.providersFile, join(options.dataFolder, 'access-keys.json'), join(options.dataFolder, 'routes.json'), ...usageFiles]) {
    hash.update(path).update('\0').update(await readFile(path).catch(() => Buffer.alloc(0)));
  }
  hash.update(salt ?? '');
  return { providers: options.providers, salt, accessKeys: options.accessKeys, routes: options.routes ?? [], usageFiles, digest: hash.digest('hex') };
}

export async function copyToRedis(source: DataFolderContents, target: RedisBackend, options: { replace: boolean; logger: Logger }): Promise<CopyResult> {
  const { connection, keys } = target;
  const existing = await keysUnder(target);
  if (existing.length > 0) {
    const marker = await connection.call((client) => client.get(keys.migratedFrom));
    const previous = marker === null ? undefined : (JSON.parse(marker) as CopyResult & { digest: string });
    if (previous?.digest === source.digest && !options.replace) return { ...previous, outcome: 'already-copied' };
    if (!options.replace) {
      throw new CopyRefusedError(
        `REDIS_URL already holds ${existing.length} key(s) under the prefix ${keys.prefix}${previous ? ' from a copy of other data' : ''}. Nothing was written. Run again with --replace to delete them and copy afresh (stop every gateway on it first), or set REDIS_KEY_PREFIX to an unused prefix.`,
      );
    }
    for (let start = 0; start < existing.length; start += 500) await connection.call((client) => client.unlink(existing.slice(start, start + 500)));
  }

  if (source.salt !== undefined) await connection.call((client) => client.set(keys.salt, source.salt!));
  // One script: the providers land all together or not at all.
  await target.providers.putMany(source.providers);
  for (const key of source.accessKeys) await target.accessKeys.create(key);
  for (const route of source.routes ?? []) await target.routes.create(route);
  let usageRecords = 0;
  for (const path of source.usageFiles) {
    let batch: UsageRecord[] = [];
    const flush = async () => {
      // Concurrent records share the connection's pipeline: one round trip per batch.
      await Promise.all(batch.map((entry) => target.usage.record(entry)));
      usageRecords += batch.length;
      batch = [];
    };
    for await (const entry of readUsageFile(path, options.logger)) {
      batch.push(entry);
      if (batch.length >= USAGE_BATCH) await flush();
    }
    await flush();
  }
  const result: CopyResult = { outcome: 'copied', providers: source.providers.length, accessKeys: source.accessKeys.length, usageRecords };
  // Written last: its presence says the copy finished.
  await connection.call((client) => client.set(keys.migratedFrom, JSON.stringify({ ...result, digest: source.digest, at: new Date().toISOString() })));
  return result;
}

async function keysUnder(target: RedisBackend): Promise<string[]> {
  return target.connection.call(async (client) => {
    const found: string[] = [];
    for await (const page of client.scanIterator({ MATCH: `${escapeGlob(target.keys.prefix)}*`, COUNT: 1000 })) found.push(...page);
    return found;
  });
}

/** The prefix as a literal in a SCAN pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}
