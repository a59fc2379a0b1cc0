import { DuplicateRouteNameError, storedRouteSchema, type ModelRouteStore, type RouteChanges, type StoredRoute } from '../../storage/model-route-store.ts';
import { openJsonFileCollection } from './json-file-collection.ts';
import type { JsonFileStoreOptions } from './json-file-provider-store.ts';

// Routes in `routes.json` beside the providers file, written the same way (whole file,
// atomically), found by lower-case name through an index rebuilt after every write.

export async function openJsonFileRouteStore(path: string, options: JsonFileStoreOptions = {}): Promise<ModelRouteStore> {
  const collection = await openJsonFileCollection<StoredRoute>(path, 'routes', storedRouteSchema, 'Route', {
    ...options,
    unique: { of: (route) => route.name.toLowerCase(), conflict: (route) => new DuplicateRouteNameError(route.name) },
  });
  let byName = new Map<string, StoredRoute>();
  const index = (records: Iterable<StoredRoute>) => {
    byName = new Map([...records].map((route) => [route.name.toLowerCase(), route]));
  };
  index(collection.all());
  collection.onChange((records) => index(records.values()));
  return {
    list: async () => collection.all(),
    get: async (id) => collection.get(id) ?? null,
    findByName: async (name) => byName.get(name.toLowerCase()) ?? null,
    create: (route) => collection.create(route),
    update: (id, changes: RouteChanges) => collection.update(id, (current) => ({ ...current, ...changes, id, createdAt: current.createdAt })),
    delete: (id) => collection.delete(id),
  };
}
