import { storedAccessKeySchema, type AccessKeyChanges, type AccessKeyStore, type StoredAccessKey } from '../../storage/access-key-store.ts';
import { DuplicateRecordError } from '../../storage/duplicate-record-error.ts';
import type { KvNamespace } from './worker-bindings.ts';

// Access keys in KV: the record under `access-key:<id>` (for management) and the same record
// under `access-key-hash:<sha256>` (so a request finds its key with one read, no scan). Both are
// written on every change. KV is eventually consistent: a change is seen at once where it was
// made and within about 60 s elsewhere, which is when a deleted or disabled key stops working
// in other locations.

const ID_PREFIX = 'access-key:';
const HASH_PREFIX = 'access-key-hash:';

export function createKvAccessKeyStore(kv: KvNamespace): AccessKeyStore {
  const parse = (text: string | null): StoredAccessKey | null => {
    if (text === null) return null;
    try {
      const parsed = storedAccessKeySchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };
  const read = async (key: string) => parse(await kv.get(key, 'text'));
  const write = async (record: StoredAccessKey) => {
    const text = JSON.stringify(record);
    await Promise.all([kv.put(`${ID_PREFIX}${record.id}`, text), kv.put(`${HASH_PREFIX}${record.secretHash}`, text)]);
  };

  return {
    async list() {
      const names: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await kv.list({ prefix: ID_PREFIX, ...(cursor ? { cursor } : {}) });
        for (const key of page.keys) names.push(key.name);
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      const records: StoredAccessKey[] = [];
      for (let start = 0; start < names.length; start += 100) {
        for (const text of (await kv.get(names.slice(start, start + 100), 'text')).values()) {
          const record = parse(text);
          if (record) records.push(record);
        }
      }
      return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    get: (id) => read(`${ID_PREFIX}${id}`),
    findByHash: (secretHash) => read(`${HASH_PREFIX}${secretHash}`),
    async create(record) {
      if ((await kv.get(`${ID_PREFIX}${record.id}`, 'text')) !== null) throw new DuplicateRecordError('Access key', record.id);
      if ((await kv.get(`${HASH_PREFIX}${record.secretHash}`, 'text')) !== null) throw new DuplicateRecordError('Access key', record.id);
      await write(record);
      return record;
    },
    async update(id, changes: AccessKeyChanges) {
      const current = await read(`${ID_PREFIX}${id}`);
      if (!current) return null;
      const updated: StoredAccessKey = { ...current, ...changes, id, secretHash: current.secretHash, createdAt: current.createdAt };
      await write(updated);
      return updated;
    },
    async delete(id) {
      const current = await read(`${ID_PREFIX}${id}`);
      if (!current) return false;
      // The hash entry first: it is what lets the key in.
      await kv.delete(`${HASH_PREFIX}${current.secretHash}`);
      await kv.delete(`${ID_PREFIX}${id}`);
      return true;
    },
  };
}
