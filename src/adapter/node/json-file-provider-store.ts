import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  storedProviderSchema,
  type ProviderChanges,
  type ProviderStore,
  type StoredProvider,
} from '../../storage/provider-store.ts';
import { atomicWriteFile } from './atomic-write-file.ts';

// Providers in one JSON file (mode 0600). Reads come from memory; every write is serialised
// through one promise chain and replaces the whole file atomically, and memory changes only
// after the file did, so a failed write loses nothing and two concurrent requests never
// overwrite each other's change.

const fileSchema = z.object({
  version: z.literal(1),
  providers: z.array(storedProviderSchema),
});

export class StoreFileError extends Error {
  constructor(path: string, reason: string) {
    super(`Cannot use the providers file ${path}: ${reason}. It has been left untouched; fix or move it, then start again.`);
    this.name = 'StoreFileError';
  }
}

export interface JsonFileProviderStore extends ProviderStore {
  readonly path: string;
}

export interface JsonFileProviderStoreOptions {
  /** Throws when this process may no longer write the file (its lock was lost). */
  assertWritable?: () => void;
}

export async function openJsonFileProviderStore(path: string, options: JsonFileProviderStoreOptions = {}): Promise<JsonFileProviderStore> {
  let providers = new Map<string, StoredProvider>();
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StoreFileError(path, `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (text !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new StoreFileError(path, 'it is not valid JSON');
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) throw new StoreFileError(path, `it does not hold providers in the expected format (${parsed.error.issues[0]?.path.join('.') ?? 'root'})`);
    providers = new Map(parsed.data.providers.map((provider) => [provider.id, provider]));
  }

  let queue: Promise<unknown> = Promise.resolve();
  function serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  async function commit(next: Map<string, StoredProvider>): Promise<void> {
    options.assertWritable?.();
    await atomicWriteFile(path, `${JSON.stringify({ version: 1, providers: [...next.values()] }, null, 2)}\n`);
    providers = next;
  }

  return {
    path,
    async list() {
      return [...providers.values()];
    },
    async get(id) {
      return providers.get(id) ?? null;
    },
    create(provider) {
      return serialise(async () => {
        if (providers.has(provider.id)) throw new Error(`Provider ${provider.id} already exists`);
        await commit(new Map(providers).set(provider.id, provider));
        return provider;
      });
    },
    update(id, changes: ProviderChanges) {
      return serialise(async () => {
        const current = providers.get(id);
        if (!current) return null;
        const updated: StoredProvider = { ...current, ...changes, id, createdAt: current.createdAt };
        await commit(new Map(providers).set(id, updated));
        return updated;
      });
    },
    delete(id) {
      return serialise(async () => {
        if (!providers.has(id)) return false;
        const next = new Map(providers);
        next.delete(id);
        await commit(next);
        return true;
      });
    },
  };
}
