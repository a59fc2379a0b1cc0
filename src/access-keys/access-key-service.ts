import type { AccessKey, CreateAccessKeyInput, UpdateAccessKeyInput } from '../api/access-keys.ts';
import { NANO_USD_PER_USD } from '../cost/price-tokens.ts';
import { NotFoundError, ValidationError } from '../errors/api-error.ts';
import type { Sha256Hex } from '../crypto/sha256-hex.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { AccessKeyChanges, AccessKeyStore, StoredAccessKey } from '../storage/access-key-store.ts';
import type { UsageLedger } from '../storage/usage-ledger.ts';
import { budgetPeriodStart } from './budget-period.ts';
import { generateAccessKeySecret, hashAccessKeySecret, makeAccessKeyHint } from './access-key-secret.ts';

// Access key management and the checks made on every request that carries one.

export interface AccessKeyServiceOptions {
  store: AccessKeyStore;
  usage: UsageLedger;
  providers: ProviderService;
  now: () => number;
  newId: () => string;
  /** How a secret is hashed (the runtime's fastest SHA-256); WebCrypto when absent. */
  sha256Hex?: Sha256Hex;
}

export type AccessKeyService = ReturnType<typeof createAccessKeyService>;

export function createAccessKeyService(options: AccessKeyServiceOptions) {
  const { store, usage, providers, now, newId, sha256Hex } = options;

  /** Ids or names, as given, to the ids they name now: a scope never widens to a provider renamed later. */
  async function resolveProviders(given: string[] | null | undefined): Promise<string[] | null> {
    if (given === undefined || given === null) return null;
    const ids: string[] = [];
    for (const [index, idOrName] of given.entries()) {
      const provider = await providers.resolve(idOrName);
      if (!provider) throw new ValidationError(`No provider ${JSON.stringify(idOrName)}`, { field: `providers[${index}]`, issue: 'unknown provider' });
      if (!ids.includes(provider.id)) ids.push(provider.id);
    }
    return ids;
  }

  async function get(id: string): Promise<StoredAccessKey> {
    const key = await store.get(id);
    if (!key) throw new NotFoundError(`Access key ${JSON.stringify(id)} not found`);
    return key;
  }

  /** What the key has used in its budget's current period (its whole life without a budget). */
  async function spentOf(key: StoredAccessKey): Promise<AccessKey['spent']> {
    const since = key.budget === null ? 0 : budgetPeriodStart(key.budget.period, now());
    const [tokens, usd] = await Promise.all([usage.tokensSince(key.id, since), usage.costSince(key.id, since)]);
    // Rounded to the nano-dollar the ledger keeps, so that a sum of floats never shows 0.30000000000000004.
    return { usd: Math.round(usd * NANO_USD_PER_USD) / NANO_USD_PER_USD, tokens };
  }

  async function toPublic(keys: StoredAccessKey[]): Promise<AccessKey[]> {
    const lastUsed = keys.length === 0 ? new Map<string, number>() : await usage.lastUsed();
    const spent = await Promise.all(keys.map(spentOf));
    return keys.map((key, index) => toPublicAccessKey(key, lastUsed.get(key.id), spent[index]!));
  }

  return {
    async list(): Promise<AccessKey[]> {
      return toPublic(await store.list());
    },

    async get(id: string): Promise<AccessKey> {
      return (await toPublic([await get(id)]))[0]!;
    },

    /** The new key and its secret, which is never available again. */
    async create(input: CreateAccessKeyInput): Promise<{ key: AccessKey; secret: string }> {
      const secret = generateAccessKeySecret();
      const timestamp = new Date(now()).toISOString();
      const stored = await store.create({
        id: newId(),
        name: input.name.trim(),
        secretHash: await hashAccessKeySecret(secret, sha256Hex),
        keyHint: makeAccessKeyHint(secret),
        providers: await resolveProviders(input.providers),
        models: input.models ?? null,
        rateLimit: input.rateLimit ?? null,
        budget: input.budget ?? null,
        expiresAt: input.expiresAt ?? null,
        disabled: false,
        createdAt: timestamp,
        updatedAt: timestamp,
      });
      return { key: toPublicAccessKey(stored, undefined, { usd: 0, tokens: 0 }), secret };
    },

    async update(id: string, input: UpdateAccessKeyInput): Promise<AccessKey> {
      await get(id);
      const changes: AccessKeyChanges = { updatedAt: new Date(now()).toISOString() };
      if (input.name !== undefined) changes.name = input.name.trim();
      if (input.providers !== undefined) changes.providers = await resolveProviders(input.providers);
      if (input.models !== undefined) changes.models = input.models;
      if (input.rateLimit !== undefined) changes.rateLimit = input.rateLimit;
      if (input.budget !== undefined) changes.budget = input.budget;
      if (input.expiresAt !== undefined) changes.expiresAt = input.expiresAt;
      if (input.disabled !== undefined) changes.disabled = input.disabled;
      const updated = await store.update(id, changes);
      if (!updated) throw new NotFoundError(`Access key ${JSON.stringify(id)} not found`);
      return (await toPublic([updated]))[0]!;
    },

    async delete(id: string): Promise<void> {
      if (!(await store.delete(id))) throw new NotFoundError(`Access key ${JSON.stringify(id)} not found`);
    },

    /** The key a secret belongs to when it may be used now: known, enabled and not expired. */
    async authenticate(secret: string): Promise<StoredAccessKey | null> {
      const key = await store.findByHash(await hashAccessKeySecret(secret, sha256Hex));
      if (!key || key.disabled) return null;
      if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now()) return null;
      return key;
    },

    spentOf,
  };
}

/** Built field by field: the hash never leaves the store. */
export function toPublicAccessKey(key: StoredAccessKey, lastUsedAt: number | undefined, spent: AccessKey['spent']): AccessKey {
  return {
    id: key.id,
    name: key.name,
    keyHint: key.keyHint,
    providers: key.providers,
    models: key.models,
    rateLimit: key.rateLimit,
    budget: key.budget,
    spent,
    expiresAt: key.expiresAt,
    disabled: key.disabled,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
    lastUsedAt: lastUsedAt === undefined ? null : new Date(lastUsedAt).toISOString(),
  };
}
