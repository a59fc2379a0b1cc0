import type { Logger } from '../../../logging/logger.ts';
import { storedAccessKeySchema, type AccessKeyChanges, type AccessKeyStore } from '../../../storage/access-key-store.ts';
import { DuplicateRecordError } from '../../../storage/duplicate-record-error.ts';
import type { RedisConnection } from './redis-connection.ts';
import { createIndexedRecords } from './redis-indexed-records.ts';
import type { RedisKeys } from './redis-keys.ts';

// Access keys in Redis: `access-keys` (id -> the record's JSON: the SHA-256 of the secret, never
// the secret) and `access-key-hashes` (hash -> id, so a request finds its key without a scan),
// written together. A delete or a disable is seen by every process at their next request.

export function createRedisAccessKeyStore(connection: RedisConnection, keys: RedisKeys, logger: Logger): AccessKeyStore {
  const records = createIndexedRecords({
    connection,
    logger,
    recordsKey: keys.accessKeys,
    indexKey: keys.accessKeyHashes,
    schema: storedAccessKeySchema,
    kind: 'Access key',
    uniqueOf: (key) => key.secretHash,
    conflict: (key) => new DuplicateRecordError('Access key', key.id),
  });
  return {
    list: async () => (await records.all()).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)),
    get: (id) => records.get(id),
    findByHash: (secretHash) => records.getByUnique(secretHash),
    create: (key) => records.create(key),
    update: (id, changes: AccessKeyChanges) => records.update(id, (current) => ({ ...current, ...changes, id, secretHash: current.secretHash, createdAt: current.createdAt })),
    delete: (id) => records.delete(id),
  };
}
