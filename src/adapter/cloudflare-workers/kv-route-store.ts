import { DuplicateRecordError } from '../../storage/duplicate-record-error.ts';
import { DuplicateRouteNameError, storedRouteSchema, type ModelRouteStore, type RouteChanges, type StoredRoute } from '../../storage/model-route-store.ts';
import type { KvNamespace } from './worker-bindings.ts';

// Routes in KV: the record under `route:<id>` (for management) and its id under
// `route-name:<lower-case name>` (so a request finds a route with two reads, no list). KV is
// eventually consistent and has no compare-and-set: a change is seen at once where it was made
// and within about 60 s elsewhere, and the unique-name check can miss a name taken moments ago in
// another location, as for providers.

const ID_PREFIX = 'route:';
const NAME_PREFIX = 'route-name:';
const KV_MAX_KEY_BYTES = 512;
const encoder = new TextEncoder();

export function createKvRouteStore(kv: KvNamespace): ModelRouteStore {
  const nameKey = (name: string) => `${NAME_PREFIX}${name.toLowerCase()}`;
  const parse = (text: string | null): StoredRoute | null => {
    if (text === null) return null;
    try {
      const parsed = storedRouteSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };
  const read = async (id: string) => (encoder.encode(`${ID_PREFIX}${id}`).length > KV_MAX_KEY_BYTES ? null : parse(await kv.get(`${ID_PREFIX}${id}`, 'text')));

  async function findByName(name: string): Promise<StoredRoute | null> {
    if (encoder.encode(nameKey(name)).length > KV_MAX_KEY_BYTES) return null;
    const id = await kv.get(nameKey(name), 'text');
    const route = id === null ? null : await read(id);
    // A name entry left by a rename or a delete elsewhere finds nothing.
    return route !== null && route.name.toLowerCase() === name.toLowerCase() ? route : null;
  }

  async function assertNameFree(route: StoredRoute): Promise<void> {
    const holder = await findByName(route.name);
    if (holder !== null && holder.id !== route.id) throw new DuplicateRouteNameError(route.name);
  }

  return {
    async list() {
      const names: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await kv.list({ prefix: ID_PREFIX, ...(cursor ? { cursor } : {}) });
        for (const key of page.keys) names.push(key.name);
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      const routes: StoredRoute[] = [];
      for (let start = 0; start < names.length; start += 100) {
        for (const text of (await kv.get(names.slice(start, start + 100), 'text')).values()) {
          const route = parse(text);
          if (route) routes.push(route);
        }
      }
      return routes.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    get: read,
    findByName,
    async create(route) {
      if ((await kv.get(`${ID_PREFIX}${route.id}`, 'text')) !== null) throw new DuplicateRecordError('Route', route.id);
      await assertNameFree(route);
      await kv.put(`${ID_PREFIX}${route.id}`, JSON.stringify(route));
      await kv.put(nameKey(route.name), route.id);
      return route;
    },
    async update(id, changes: RouteChanges) {
      const current = await read(id);
      if (!current) return null;
      const updated: StoredRoute = { ...current, ...changes, id, createdAt: current.createdAt };
      if (updated.name.toLowerCase() !== current.name.toLowerCase()) await assertNameFree(updated);
      await kv.put(`${ID_PREFIX}${id}`, JSON.stringify(updated));
      if (updated.name.toLowerCase() !== current.name.toLowerCase()) await kv.delete(nameKey(current.name));
      await kv.put(nameKey(updated.name), id);
      return updated;
    },
    async delete(id) {
      const current = await read(id);
      if (!current) return false;
      // The name entry first: it is what requests find the route by.
      await kv.delete(nameKey(current.name));
      await kv.delete(`${ID_PREFIX}${id}`);
      return true;
    },
  };
}
