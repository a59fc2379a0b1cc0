import { storedAccessKeySchema, type AccessKeyChanges, type AccessKeyStore, type StoredAccessKey } from '../../storage/access-key-store.ts';
import { DuplicateRecordError } from '../../storage/duplicate-record-error.ts';
import { openJsonFileCollection } from './json-file-collection.ts';
import type { JsonFileStoreOptions } from './json-file-provider-store.ts';

// Access keys in `access-keys.json` beside the providers file, written the same way (whole file,
// atomically). Looked up by the secret's hash through an index rebuilt after every write.

export async function openJsonFileAccessKeyStore(path: string, options: JsonFileStoreOptions = {}): Promise<AccessKeyStore> {
  const collection = await openJsonFileCollection<StoredAccessKey>(path, 'accessKeys', storedAccessKeySchema, 'Access key', {
    ...options,
    unique: { of: (key) => key.secretHash, conflict: (key) => new DuplicateRecordError('Access key', key.id) },
  });
  let byHash = new Map<string, StoredAccessKey>();
  const index = (records: Iterable<StoredAccessKey>) => {
    byHash = new Map([...records].map((key) => [key.secretHash, key]));
  };
  index(collection.all());
  collection.onChange((records) => index(records.values()));
  return {
    list: async () => collection.all(),
    get: async (id) => collection.get(id) ?? null,
    findByHash: async (secretHash) => byHash.get(secretHash) ?? null,
    create: (key) => collection.create(key),
    update: (id, changes: AccessKeyChanges) => collection.update(id, (current) => ({ ...current, ...changes, id, secretHash: current.secretHash, createdAt: current.createdAt })),
    delete: (id) => collection.delete(id),
  };
}
