import type { Logger } from '../../../logging/logger.ts';
import { DuplicateNameError } from '../../../storage/duplicate-record-error.ts';
import { storedProviderSchema, type ProviderChanges, type ProviderStore } from '../../../storage/provider-store.ts';
import type { RedisConnection } from './redis-connection.ts';
import { createIndexedRecords } from './redis-indexed-records.ts';
import type { RedisKeys } from './redis-keys.ts';

// Providers in Redis: `providers` (id -> the record's JSON, ciphertext included, exactly as in
// providers.json) and `provider-names` (lower-case name -> id), written together by one script,
// which also drops the provider's cached model list, so no process serves a list fetched before
// the change.

export function createRedisProviderStore(connection: RedisConnection, keys: RedisKeys, logger: Logger): ProviderStore {
  const records = createIndexedRecords({
    connection,
    logger,
    recordsKey: keys.providers,
    indexKey: keys.providerNames,
    schema: storedProviderSchema,
    kind: 'Provider',
    uniqueOf: (provider) => provider.name.toLowerCase(),
    conflict: (provider) => new DuplicateNameError(provider.name),
    alsoDelete: keys.models,
  });
  return {
    // A hash has no order: the order KV lists in too.
    list: async () => (await records.all()).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)),
    get: (id) => records.get(id),
    create: (provider) => records.create(provider),
    update: (id, changes: ProviderChanges) => records.update(id, (current) => ({ ...current, ...changes, id, createdAt: current.createdAt })),
    delete: (id) => records.delete(id),
    putMany: (providers) => records.putMany(providers),
  };
}
