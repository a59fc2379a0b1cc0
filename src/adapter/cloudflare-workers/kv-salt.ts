import { base64ToBytes, bytesToBase64 } from '../../crypto/base64.ts';
import { generateSalt, SALT_BYTES } from '../../crypto/key-cipher.ts';
import { PROVIDER_KEY_PREFIX } from './kv-provider-store.ts';
import type { KvNamespace } from './worker-bindings.ts';

// The PBKDF2 salt, kept in the same KV namespace as the providers (apart from them), created on
// first use. KV has no compare-and-set: two isolates in different locations starting on an empty
// namespace at the same moment could each write a salt, and the last one wins. Send one request
// before real traffic (or seed it: `wrangler kv key put --binding PROVIDERS_KV config:encryption-salt
// "$(openssl rand -base64 16)"`) to rule that out.

export const SALT_KEY = 'config:encryption-salt';

export class SaltSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaltSetupError';
  }
}

export async function loadOrCreateKvSalt(kv: KvNamespace): Promise<Uint8Array<ArrayBuffer>> {
  const stored = await kv.get(SALT_KEY, 'text');
  if (stored !== null) {
    let salt: Uint8Array<ArrayBuffer> | undefined;
    try {
      salt = base64ToBytes(stored.trim());
    } catch {
      salt = undefined;
    }
    if (salt?.length !== SALT_BYTES) throw new SaltSetupError(`The KV value ${SALT_KEY} is not a ${SALT_BYTES}-byte base64 salt; restore it from a backup.`);
    return salt;
  }
  const existing = await kv.list({ prefix: PROVIDER_KEY_PREFIX, limit: 1 });
  if (existing.keys.length > 0) {
    // A new salt would make every stored key unreadable; refuse instead of silently doing so.
    throw new SaltSetupError(`The KV value ${SALT_KEY} is missing but providers are stored; restore it from a backup.`);
  }
  const salt = generateSalt();
  await kv.put(SALT_KEY, bytesToBase64(salt));
  return salt;
}
