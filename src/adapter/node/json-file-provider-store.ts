import { DuplicateNameError } from '../../storage/duplicate-record-error.ts';
import { storedProviderSchema, type ProviderChanges, type ProviderStore, type StoredProvider } from '../../storage/provider-store.ts';
import { openJsonFileCollection } from './json-file-collection.ts';

export { StoreFileError } from './json-file-collection.ts';

// Providers in PROVIDERS_FILE (`{"version":1,"providers":[...]}`).

export interface JsonFileProviderStore extends ProviderStore {
  readonly path: string;
}

export interface JsonFileStoreOptions {
  /** Throws when this process may no longer write the file (its lock was lost). */
  assertWritable?: () => void;
}

export async function openJsonFileProviderStore(path: string, options: JsonFileStoreOptions = {}): Promise<JsonFileProviderStore> {
  const collection = await openJsonFileCollection<StoredProvider>(path, 'providers', storedProviderSchema, 'Provider', {
    ...options,
    unique: { of: (provider) => provider.name.toLowerCase(), conflict: (provider) => new DuplicateNameError(provider.name) },
  });
  return {
    path,
    list: async () => collection.all(),
    get: async (id) => collection.get(id) ?? null,
    create: (provider) => collection.create(provider),
    update: (id, changes: ProviderChanges) => collection.update(id, (current) => ({ ...current, ...changes, id, createdAt: current.createdAt })),
    delete: (id) => collection.delete(id),
    putMany: (providers) => collection.putMany(providers),
  };
}
