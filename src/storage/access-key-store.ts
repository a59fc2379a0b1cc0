import * as z from 'zod';
import { accessKeySchema } from '../api/access-keys.ts';

// Access keys as stored: the public fields (but lastUsedAt, which the usage ledger knows) plus the
// SHA-256 of the secret, never the secret.
// Implementations: a JSON file beside the providers on Node, KV on Workers, Redis when configured.

export const storedAccessKeySchema = accessKeySchema.omit({ lastUsedAt: true, spent: true }).extend({
  /** Lower-case hex SHA-256 of the whole secret (`gwk_…`). */
  secretHash: z.string().regex(/^[0-9a-f]{64}$/),
});

export type StoredAccessKey = z.infer<typeof storedAccessKeySchema>;

export type AccessKeyChanges = Partial<Omit<StoredAccessKey, 'id' | 'secretHash' | 'createdAt'>>;

export interface AccessKeyStore {
  list(): Promise<StoredAccessKey[]>;
  get(id: string): Promise<StoredAccessKey | null>;
  /** One lookup by the secret's hash: no scan over all keys. */
  findByHash(secretHash: string): Promise<StoredAccessKey | null>;
  /** Refuses an id or a hash that is already stored. */
  create(key: StoredAccessKey): Promise<StoredAccessKey>;
  update(id: string, changes: AccessKeyChanges): Promise<StoredAccessKey | null>;
  delete(id: string): Promise<boolean>;
}
