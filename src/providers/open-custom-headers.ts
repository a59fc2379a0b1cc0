import * as z from 'zod';
import type { KeyCipher } from '../crypto/key-cipher.ts';
import type { StoredProvider } from '../storage/provider-store.ts';

const headersSchema = z.record(z.string(), z.string());

/**
 * The provider with its custom header values in plain text in `customHeaders`, for the one call
 * or answer that needs them (see seal-custom-headers.ts). Throws DecryptionError when the cipher
 * cannot open them, as for the API key.
 */
export async function openCustomHeaders(cipher: KeyCipher, provider: StoredProvider): Promise<StoredProvider> {
  if (provider.encryptedCustomHeaders === undefined) return provider;
  const plaintext = await cipher.decrypt(provider.encryptedCustomHeaders, provider.id);
  const parsed = headersSchema.safeParse(parseJson(plaintext));
  if (!parsed.success) throw new Error(`The custom headers of provider ${provider.id} do not decrypt to header values`);
  return { ...provider, customHeaders: parsed.data };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
