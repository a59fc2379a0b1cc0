import type { Logger } from '../../logging/logger.ts';
import { DuplicateNameError, DuplicateRecordError } from '../../storage/duplicate-record-error.ts';
import {
  storedProviderSchema,
  type ProviderChanges,
  type ProviderStore,
  type StoredProvider,
} from '../../storage/provider-store.ts';
import type { KvNamespace } from './worker-bindings.ts';

// Providers in Workers KV, one key per provider (`provider:<id>`, the record as JSON). Every value
// is checked with the same zod schema as the JSON file when read. A corrupt value is skipped (and
// logged by key) when listing, so one bad record cannot take down every route that lists; reading
// it by id throws CorruptProviderRecordError (a 500) rather than pretending it is absent; deleting
// it works without reading it, so an operator can remove it through the API.
//
// KV is eventually consistent and has no transactions: a write is visible at once where it was
// made and within about 60 s elsewhere, an update is read-modify-write (last writer wins), and
// the unique-name check can miss a name created moments ago in another location.

export const PROVIDER_KEY_PREFIX = 'provider:';
const KV_MAX_KEY_BYTES = 512;
const KV_MAX_LIST_LIMIT = 1000;
const KV_MAX_BULK_GET = 100;

export class CorruptProviderRecordError extends Error {
  constructor(key: string) {
    super(`The KV value under ${key} is not a valid provider record; fix or delete it`);
    this.name = 'CorruptProviderRecordError';
  }
}

export interface KvProviderStoreOptions {
  logger: Logger;
  /** Keys per list page; KV's maximum (1000) unless a test wants to page sooner. */
  pageSize?: number;
}

const encoder = new TextEncoder();

export function createKvProviderStore(kv: KvNamespace, options: KvProviderStoreOptions): ProviderStore {
  const pageSize = Math.min(options.pageSize ?? KV_MAX_LIST_LIMIT, KV_MAX_LIST_LIMIT);
  const keyFor = (id: string) => `${PROVIDER_KEY_PREFIX}${id}`;
  // A model name's prefix is tried as an id; KV throws on keys over 512 bytes, and no id is that long.
  const isStorableKey = (key: string) => encoder.encode(key).length <= KV_MAX_KEY_BYTES;

  async function listKeys(): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await kv.list({ prefix: PROVIDER_KEY_PREFIX, limit: pageSize, ...(cursor ? { cursor } : {}) });
      for (const key of page.keys) names.push(key.name);
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return names;
  }

  function parse(key: string, text: string): StoredProvider {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CorruptProviderRecordError(key);
    }
    const parsed = storedProviderSchema.safeParse(json);
    if (!parsed.success || keyFor(parsed.data.id) !== key) throw new CorruptProviderRecordError(key);
    return parsed.data;
  }

  async function read(id: string): Promise<StoredProvider | null> {
    const key = keyFor(id);
    if (!isStorableKey(key)) return null;
    const text = await kv.get(key, 'text');
    return text === null ? null : parse(key, text);
  }

  /**
   * The unique-name rule, checked against a list read just before the write: without
   * compare-and-set, a name created elsewhere moments ago can still slip through (see above).
   */
  async function assertNamesFree(batch: readonly StoredProvider[]): Promise<void> {
    const batchIds = new Set(batch.map((provider) => provider.id));
    // Names held outside the batch; the batch's own records give theirs up for their new ones.
    const taken = new Set((await store.list()).filter((provider) => !batchIds.has(provider.id)).map((provider) => provider.name.toLowerCase()));
    for (const provider of batch) {
      const lower = provider.name.toLowerCase();
      if (taken.has(lower)) throw new DuplicateNameError(provider.name);
      taken.add(lower);
    }
  }

  const store: ProviderStore = {
    async list() {
      const keys = await listKeys();
      const providers: StoredProvider[] = [];
      for (let start = 0; start < keys.length; start += KV_MAX_BULK_GET) {
        const values = await kv.get(keys.slice(start, start + KV_MAX_BULK_GET), 'text');
        for (const [key, text] of values) {
          // Deleted between the list and the read.
          if (text === null) continue;
          try {
            providers.push(parse(key, text));
          } catch (error) {
            if (!(error instanceof CorruptProviderRecordError)) throw error;
            options.logger.warn('skipping a corrupt provider record', { key });
          }
        }
      }
      // KV lists keys in byte order, which for random ids is no order at all.
      return providers.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    get: read,
    async create(provider) {
      // Not atomic (KV has no compare-and-set), but ids are random UUIDs: this guards against a
      // caller's mistake, not a race.
      if ((await kv.get(keyFor(provider.id), 'text')) !== null) throw new DuplicateRecordError('Provider', provider.id);
      await assertNamesFree([provider]);
      await kv.put(keyFor(provider.id), JSON.stringify(provider));
      return provider;
    },
    async update(id, changes: ProviderChanges) {
      const current = await read(id);
      if (!current) return null;
      const updated: StoredProvider = { ...current, ...changes, id, createdAt: current.createdAt };
      if (updated.name !== current.name) await assertNamesFree([updated]);
      await kv.put(keyFor(id), JSON.stringify(updated));
      return updated;
    },
    async delete(id) {
      const key = keyFor(id);
      if (!isStorableKey(key) || (await kv.get(key, 'text')) === null) return false;
      await kv.delete(key);
      return true;
    },
    async putMany(batch) {
      await assertNamesFree(batch);
      // One key after another: KV has no transaction. Writes go out together so a batch takes
      // one round of latency, and a failure leaves the records already written in place (an
      // import reports it as a 500 and can be run again with onConflict "replace").
      await Promise.all(batch.map((provider) => kv.put(keyFor(provider.id), JSON.stringify(provider))));
    },
  };
  return store;
}
