import { ConflictError, NotFoundError, UpstreamBlockedError, ValidationError } from '../errors/api-error.ts';
import { DecryptionError, type KeyCipher } from '../crypto/key-cipher.ts';
import { checkUpstreamUrl } from '../security/check-upstream-url.ts';
import type { UpstreamPolicy } from '../security/upstream-policy.ts';
import { DuplicateNameError } from '../storage/duplicate-record-error.ts';
import type { ModelsCache } from '../storage/models-cache.ts';
import type { ProviderStore, StoredProvider } from '../storage/provider-store.ts';
import type { ImportConflictPolicy } from '../api/provider-import.ts';
import { EncryptionKeyMismatchError } from '../crypto/encryption-key-mismatch-error.ts';
import { openCustomHeaders } from './open-custom-headers.ts';
import {
  makeApiKeyHint,
  type CreateProviderInput,
  type UpdateProviderInput,
} from './provider-schemas.ts';
import { hasPlainCustomHeaders, sealCustomHeaders } from './seal-custom-headers.ts';

export interface ProviderImportOutcome {
  created: StoredProvider[];
  replaced: StoredProvider[];
  skipped: Array<{ index: number; name: string; reason: string }>;
}

export const PRIVATE_UPSTREAMS_HINT =
  'Loopback, private and link-local addresses (a local Ollama, vLLM or LM Studio) need ALLOW_PRIVATE_UPSTREAMS=true, or a comma list of host:port, on the gateway; the instance endpoints of a cloud host never are.';

// Provider management: validation that needs state (unique names, the outbound policy),
// encryption of keys and custom header values, and invalidation of what is cached per provider.
// Providers go out of here with their custom header values opened (decrypted) for the call or the
// answer at hand; they are written back only through `changes`, sealed again.

export interface ProviderServiceOptions {
  store: ProviderStore;
  cipher: KeyCipher;
  modelsCache: ModelsCache;
  upstreamPolicy: UpstreamPolicy;
  now: () => number;
  newId: () => string;
}

export type ProviderService = ReturnType<typeof createProviderService>;

export function createProviderService(options: ProviderServiceOptions) {
  const { store, cipher, modelsCache, upstreamPolicy, now, newId } = options;
  const usableBaseUrls = new Map<string, boolean>();

  function assertBaseUrlAllowed(baseUrl: string): void {
    const check = checkUpstreamUrl(baseUrl, upstreamPolicy);
    if (!check.ok) {
      // Coarse on purpose: the reason must not help anyone map the internal network. It names the
      // setting that allows local servers, whichever class the address was.
      throw new ValidationError(`baseUrl is not allowed by this server's outbound policy. ${PRIVATE_UPSTREAMS_HINT}`, {
        field: 'baseUrl',
        issue: check.reason === 'blocked' ? 'address not allowed' : `invalid (${check.reason})`,
        setting: 'ALLOW_PRIVATE_UPSTREAMS',
      });
    }
  }

  async function open(provider: StoredProvider): Promise<StoredProvider> {
    try {
      return await openCustomHeaders(cipher, provider);
    } catch (error) {
      if (error instanceof DecryptionError) throw new EncryptionKeyMismatchError();
      throw error;
    }
  }

  /** The record to store (header values sealed), and the same provider as answered (values in plain). */
  async function newRecord(input: CreateProviderInput, id: string, createdAt: string, updatedAt: string): Promise<{ stored: StoredProvider; opened: StoredProvider }> {
    const stored: StoredProvider = {
      id,
      name: input.name,
      baseUrl: input.baseUrl,
      routingMethod: input.routingMethod,
      ...(await sealCustomHeaders(cipher, id, { ...input.customHeaders })),
      ...(input.responsesApi === true ? { responsesApi: true } : {}),
      ...(input.pricing !== undefined && Object.keys(input.pricing).length > 0 ? { pricing: input.pricing } : {}),
      encryptedApiKey: input.apiKey === undefined ? null : await cipher.encrypt(input.apiKey, id),
      apiKeyHint: input.apiKey === undefined ? null : makeApiKeyHint(input.apiKey),
      createdAt,
      updatedAt,
    };
    return { stored, opened: { ...stored, customHeaders: { ...input.customHeaders } } };
  }

  const nameTaken = (name: string, details: Record<string, unknown> = {}) =>
    new ConflictError(`A provider named "${name}" already exists`, { ...details, field: 'name', issue: 'must be unique' });

  async function assertNameFree(name: string, exceptId?: string): Promise<void> {
    const lower = name.toLowerCase();
    const taken = (await store.list()).some((provider) => provider.id !== exceptId && provider.name.toLowerCase() === lower);
    if (taken) throw nameTaken(name);
  }

  /**
   * The check above is answered from a read; the store refuses a taken name again as it writes,
   * which is what holds when several processes share one store (Redis).
   */
  async function writing<T>(write: Promise<T>, detailsFor: (name: string) => Record<string, unknown> = () => ({})): Promise<T> {
    try {
      return await write;
    } catch (error) {
      if (error instanceof DuplicateNameError) throw nameTaken(error.providerName, detailsFor(error.providerName));
      throw error;
    }
  }

  return {
    list: async () => Promise.all((await store.list()).map(open)),

    async get(id: string): Promise<StoredProvider> {
      const provider = await store.get(id);
      if (!provider) throw new NotFoundError(`Provider ${JSON.stringify(id)} not found`);
      return open(provider);
    },

    /** The part of a model name before the first "/" may be a provider's id or its name. */
    async resolve(idOrName: string): Promise<StoredProvider | null> {
      const byId = await store.get(idOrName);
      if (byId) return open(byId);
      const lower = idOrName.toLowerCase();
      const byName = (await store.list()).find((provider) => provider.name.toLowerCase() === lower);
      return byName ? open(byName) : null;
    },

    async create(input: CreateProviderInput): Promise<StoredProvider> {
      assertBaseUrlAllowed(input.baseUrl);
      await assertNameFree(input.name);
      const timestamp = new Date(now()).toISOString();
      const { stored, opened } = await newRecord(input, newId(), timestamp, timestamp);
      await writing(store.create(stored));
      return opened;
    },

    /**
     * Every entry checked before anything is stored, then one write for the whole batch. Names
     * match case-insensitively against stored providers and within the batch. "replace" keeps a
     * stored provider's id and createdAt and replaces everything else, the key included.
     */
    async importMany(entries: CreateProviderInput[], onConflict: ImportConflictPolicy, dryRun: boolean): Promise<ProviderImportOutcome> {
      const seen = new Map<string, number>();
      for (const [index, entry] of entries.entries()) {
        const lower = entry.name.toLowerCase();
        const earlier = seen.get(lower);
        if (earlier !== undefined) {
          throw new ValidationError(`Entries ${earlier} and ${index} have the same name "${entry.name}"`, { index, field: 'name', issue: 'duplicate name in this import' });
        }
        seen.set(lower, index);
        try {
          assertBaseUrlAllowed(entry.baseUrl);
        } catch (error) {
          if (error instanceof ValidationError) throw new ValidationError(error.message, { ...error.details, index });
          throw error;
        }
      }
      const byName = new Map((await store.list()).map((provider) => [provider.name.toLowerCase(), provider]));
      const outcome: ProviderImportOutcome = { created: [], replaced: [], skipped: [] };
      const toStore: StoredProvider[] = [];
      const timestamp = new Date(now()).toISOString();
      for (const [index, entry] of entries.entries()) {
        const existing = byName.get(entry.name.toLowerCase());
        if (existing === undefined) {
          const { stored, opened } = await newRecord(entry, newId(), timestamp, timestamp);
          toStore.push(stored);
          outcome.created.push(opened);
        } else if (onConflict === 'fail') {
          throw new ConflictError(`A provider named "${existing.name}" already exists (entry ${index})`, { index, field: 'name', issue: 'must be unique' });
        } else if (onConflict === 'skip') {
          outcome.skipped.push({ index, name: entry.name, reason: 'a provider with this name exists' });
        } else {
          const { stored, opened } = await newRecord(entry, existing.id, existing.createdAt, timestamp);
          toStore.push(stored);
          outcome.replaced.push(opened);
        }
      }
      if (!dryRun) {
        const index = (name: string) => entries.findIndex((entry) => entry.name.toLowerCase() === name.toLowerCase());
        await writing(store.putMany(toStore), (name) => ({ index: index(name) }));
        await Promise.all(outcome.replaced.map((provider) => modelsCache.delete(provider.id)));
      }
      return outcome;
    },

    async update(id: string, input: UpdateProviderInput): Promise<StoredProvider> {
      if (input.baseUrl !== undefined) assertBaseUrlAllowed(input.baseUrl);
      if (input.name !== undefined) await assertNameFree(input.name, id);
      const changes: Parameters<ProviderStore['update']>[1] = { updatedAt: new Date(now()).toISOString() };
      if (input.name !== undefined) changes.name = input.name;
      if (input.baseUrl !== undefined) changes.baseUrl = input.baseUrl;
      if (input.routingMethod !== undefined) changes.routingMethod = input.routingMethod;
      if (input.responsesApi !== undefined) changes.responsesApi = input.responsesApi;
      if (input.pricing !== undefined) changes.pricing = input.pricing === null || Object.keys(input.pricing).length === 0 ? undefined : input.pricing;
      if (input.customHeaders !== undefined) {
        Object.assign(changes, await sealCustomHeaders(cipher, id, { ...input.customHeaders }));
      } else {
        // A record still holding plain values (written before they were encrypted) is sealed at its next write.
        const current = await store.get(id);
        if (current && hasPlainCustomHeaders(current)) Object.assign(changes, await sealCustomHeaders(cipher, id, current.customHeaders));
      }
      if (input.apiKey !== undefined) {
        changes.encryptedApiKey = input.apiKey === null ? null : await cipher.encrypt(input.apiKey, id);
        changes.apiKeyHint = input.apiKey === null ? null : makeApiKeyHint(input.apiKey);
      }
      const updated = await writing(store.update(id, changes));
      if (!updated) throw new NotFoundError(`Provider ${JSON.stringify(id)} not found`);
      await modelsCache.delete(id);
      return open(updated);
    },

    async delete(id: string): Promise<void> {
      if (!(await store.delete(id))) throw new NotFoundError(`Provider ${JSON.stringify(id)} not found`);
      await modelsCache.delete(id);
    },

    /**
     * Checked at every use, not only at save time: the stored file may have been edited, or the
     * policy changed since. The verdict depends only on the URL text and this process's policy,
     * so it is remembered per baseUrl.
     */
    assertUsable(provider: StoredProvider): void {
      let usable = usableBaseUrls.get(provider.baseUrl);
      if (usable === undefined) {
        usable = checkUpstreamUrl(provider.baseUrl, upstreamPolicy).ok;
        if (usableBaseUrls.size >= 1024) usableBaseUrls.clear();
        usableBaseUrls.set(provider.baseUrl, usable);
      }
      if (!usable) throw new UpstreamBlockedError();
    },
  };
}
