import { MemoryStore } from 'hono-rate-limiter';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../../logging/logger.ts';
import { createMemoryModelsCache } from '../../storage/models-cache.ts';
import type { OwnedStorageBackend } from '../../storage/storage-backend.ts';
import { loadOrCreateSalt } from './encryption-secret.ts';
import { acquireFileLock } from './file-lock.ts';
import { openFileUsageLedger } from './file-usage-ledger.ts';
import { openJsonFileAccessKeyStore } from './json-file-access-key-store.ts';
import { openJsonFileProviderStore, type JsonFileProviderStore } from './json-file-provider-store.ts';

// Node's default storage: files in the data folder, owned by one process (the lock), with caches
// and rate-limit counters in that process's memory.
//
//   providers.json        the providers (PROVIDERS_FILE), written whole and atomically
//   providers.json.salt   the PBKDF2 salt
//   access-keys.json      the access keys (hashes, never secrets), written the same way
//   usage/YYYY-MM.jsonl   the usage ledger, append-only

export interface JsonFileBackend extends OwnedStorageBackend {
  readonly kind: 'json-file';
  readonly providers: JsonFileProviderStore;
  readonly dataFolder: string;
}

export async function openJsonFileBackend(options: { providersFile: string; logger: Logger }): Promise<JsonFileBackend> {
  const { providersFile, logger } = options;
  const dataFolder = dirname(providersFile);
  await mkdir(dataFolder, { recursive: true, mode: 0o700 });
  const lock = acquireFileLock(providersFile);
  try {
    const providers = await openJsonFileProviderStore(providersFile);
    const accessKeys = await openJsonFileAccessKeyStore(join(dataFolder, 'access-keys.json'));
    const usage = await openFileUsageLedger(join(dataFolder, 'usage'), logger);
    return {
      kind: 'json-file',
      dataFolder,
      providers,
      accessKeys,
      usage,
      modelsCache: createMemoryModelsCache(),
      rateLimitStore: () => new MemoryStore(),
      loadOrCreateSalt: async () => loadOrCreateSalt(`${providersFile}.salt`, (await providers.list()).length > 0),
      isHealthy: async () => true,
      async close() {
        await usage.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
