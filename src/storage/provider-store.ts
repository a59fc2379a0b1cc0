import * as z from 'zod';
import { providerPricingSchema } from '../api/pricing.ts';
import { encryptedSecretSchema } from '../crypto/key-cipher.ts';

// The seed's IProviderStorage, narrowed to what the service needs. Implementations: a JSON file
// on Node (src/adapter/node), KV on Workers (src/adapter/cloudflare-workers), Redis.

export const routingMethods = ['openai', 'anthropic'] as const;
export type RoutingMethod = (typeof routingMethods)[number];

export const storedProviderSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  baseUrl: z.string().min(1),
  routingMethod: z.enum(routingMethods),
  /**
   * Header name -> value, in plain text only in records written before values were encrypted
   * (and in the provider objects the service hands out, opened for one call): `{}` at rest since.
   */
  customHeaders: z.record(z.string(), z.string()),
  /** The provider serves OpenAI's Responses API at {baseUrl}/responses (OpenAI itself): /responses goes there as it is. */
  responsesApi: z.boolean().optional(),
  /** The operator's prices per model pattern (US dollars per million tokens), before the price catalogue's. */
  pricing: providerPricingSchema.optional(),
  /** The header values as one JSON object, encrypted like the key; absent when there are none. */
  encryptedCustomHeaders: encryptedSecretSchema.optional(),
  /** null: the provider needs no key (Ollama, vLLM), and no credential header is sent. */
  encryptedApiKey: encryptedSecretSchema.nullable(),
  apiKeyHint: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type StoredProvider = z.infer<typeof storedProviderSchema>;

export type ProviderChanges = Partial<Omit<StoredProvider, 'id' | 'createdAt'>>;

export interface ProviderStore {
  list(): Promise<StoredProvider[]>;
  get(id: string): Promise<StoredProvider | null>;
  /**
   * Refuses an id that is already stored (DuplicateRecordError) and a name another provider holds,
   * compared case-insensitively (DuplicateNameError), as create, update and putMany all do.
   */
  create(provider: StoredProvider): Promise<StoredProvider>;
  /** Applies the changes to the current record; null when there is no such provider. */
  update(id: string, changes: ProviderChanges): Promise<StoredProvider | null>;
  /** False when there was no such provider. */
  delete(id: string): Promise<boolean>;
  /**
   * Stores every record at once, creating new ids and replacing known ones: an import, or every
   * record re-encrypted by a key rotation. All or nothing where the backend can (the JSON file,
   * Redis); KV writes one key after another (see docs/importing-providers.md). Names are checked against the
   * records the batch leaves in place, and within the batch.
   */
  putMany(providers: StoredProvider[]): Promise<void>;
}
