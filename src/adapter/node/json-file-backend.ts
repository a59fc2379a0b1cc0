import { MemoryStore } from 'hono-rate-limiter';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StorageUnavailableError } from '../../errors/api-error.ts';
import type { Logger } from '../../logging/logger.ts';
import { createMemoryBudgetReservations } from '../../storage/memory-budget-reservations.ts';
import { createMemoryModelsCache } from '../../storage/models-cache.ts';
import { createMemoryTargetRests } from '../../storage/memory-target-rests.ts';
import type { OwnedStorageBackend } from '../../storage/storage-backend.ts';
import { loadOrCreateSalt } from './encryption-secret.ts';
import { acquireFileLock } from './file-lock.ts';
import { openFileResponseStore } from './file-response-store.ts';
import { openFileUsageLedger } from './file-usage-ledger.ts';
import { createMemoryResponseCache } from './memory-response-cache.ts';
import { openJsonFileAccessKeyStore } from './json-file-access-key-store.ts';
import { openJsonFileProviderStore, type JsonFileProviderStore } from './json-file-provider-store.ts';
import { openJsonFileRouteStore } from './json-file-route-store.ts';

// Node's default storage: files in the data folder, owned by one process (the lock), with caches
// and rate-limit counters in that process's memory.
//
//   providers.json        the providers (PROVIDERS_FILE), written whole and atomically
//   providers.json.salt   the PBKDF2 salt
//   access-keys.json      the access keys (hashes, never secrets), written the same way
//   routes.json           the routes (one model name for several targets), written the same way
//   usage/YYYY-MM.jsonl   the usage ledger, append-only
//   responses/<id>.json   stored Responses API answers, one file each, with their expiry

export interface JsonFileBackend extends OwnedStorageBackend {
  readonly kind: 'json-file';
  readonly providers: JsonFileProviderStore;
  readonly dataFolder: string;
  /** Settles if another process took the lock: the server must stop. */
  readonly lockLost: Promise<void>;
}

export interface JsonFileBackendOptions {
  providersFile: string;
  logger: Logger;
  /** RESPONSE_CACHE_MAX_BYTES: the memory the response cache may hold. */
  responseCacheMaxBytes: number;
  /** How long to wait for a stale lock on the data folder; for tests that want a refusal sooner. */
  lockWaitMs?: number;
}

export async function openJsonFileBackend(options: JsonFileBackendOptions): Promise<JsonFileBackend> {
  const { providersFile, logger } = options;
  const dataFolder = dirname(providersFile);
  await mkdir(dataFolder, { recursive: true, mode: 0o700 });
  // One lock, on the providers file, for everything in the data folder.
  const lock = await acquireFileLock(providersFile, { logger, waitMs: options.lockWaitMs });
  const assertWritable = () => {
    if (!lock.held) throw new StorageUnavailableError('Another process has taken over the data folder; this server no longer writes it');
  };
  try {
    const providers = await openJsonFileProviderStore(providersFile, { assertWritable });
    const accessKeys = await openJsonFileAccessKeyStore(join(dataFolder, 'access-keys.json'), { assertWritable });
    const routes = await openJsonFileRouteStore(join(dataFolder, 'routes.json'), { assertWritable });
    const usage = await openFileUsageLedger(join(dataFolder, 'usage'), logger, { mayWrite: () => lock.held });
    const responses = await openFileResponseStore(join(dataFolder, 'responses'));
    // Expired stored responses that nobody asked for again are removed once an hour.
    const sweep = setInterval(() => void responses.sweep().catch((error: unknown) => logger.warn('stored responses sweep failed', { error: error instanceof Error ? error.message : 'unknown' })), 3_600_000);
    sweep.unref();
    return {
      kind: 'json-file',
      dataFolder,
      providers,
      accessKeys,
      usage,
      // In this process's memory: the folder's lock keeps every other process out.
      budgets: createMemoryBudgetReservations(usage),
      modelsCache: createMemoryModelsCache(),
      responseCache: createMemoryResponseCache(options.responseCacheMaxBytes),
      responses,
      routes,
      targetRests: createMemoryTargetRests(),
      rateLimitStore: () => new MemoryStore(),
      loadOrCreateSalt: async () => loadOrCreateSalt(`${providersFile}.salt`, (await providers.list()).length > 0),
      isHealthy: async () => lock.held,
      lockLost: lock.lost,
      async close() {
        clearInterval(sweep);
        await usage.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
