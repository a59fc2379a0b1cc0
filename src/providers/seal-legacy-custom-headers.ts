import type { KeyCipher } from '../crypto/key-cipher.ts';
import type { ProviderStore } from '../storage/provider-store.ts';
import { hasPlainCustomHeaders, sealCustomHeaders } from './seal-custom-headers.ts';

/**
 * Encrypts the custom header values of every stored record that still holds them in plain text
 * (written before values were encrypted), in one write: all of them or none. Returns how many.
 */
export async function sealLegacyCustomHeaders(store: ProviderStore, cipher: KeyCipher): Promise<number> {
  const legacy = (await store.list()).filter(hasPlainCustomHeaders);
  if (legacy.length === 0) return 0;
  const sealed = await Promise.all(legacy.map(async (provider) => ({ ...provider, ...(await sealCustomHeaders(cipher, provider.id, provider.customHeaders)) })));
  await store.putMany(sealed);
  return sealed.length;
}
