import type { KeyCipher } from '../crypto/key-cipher.ts';
import type { StoredProvider } from '../storage/provider-store.ts';

// A provider's custom header values at rest: some are keys (X-Goog-Api-Key, a second token), so
// they are encrypted like the API key, with the same cipher and the provider id as additional
// data, as one JSON object. The record keeps `customHeaders: {}`; a record written before values
// were encrypted still holds them there in plain text (openCustomHeaders reads both), until its
// next write or the Node server's start seals them.

export type SealedCustomHeaders = Pick<StoredProvider, 'customHeaders' | 'encryptedCustomHeaders'>;

export async function sealCustomHeaders(cipher: KeyCipher, providerId: string, headers: Record<string, string>): Promise<SealedCustomHeaders> {
  if (Object.keys(headers).length === 0) return { customHeaders: {}, encryptedCustomHeaders: undefined };
  return { customHeaders: {}, encryptedCustomHeaders: await cipher.encrypt(JSON.stringify(headers), providerId) };
}

/** Whether a stored record still holds header values in plain text (written before they were encrypted). */
export function hasPlainCustomHeaders(provider: StoredProvider): boolean {
  return provider.encryptedCustomHeaders === undefined && Object.keys(provider.customHeaders).length > 0;
}
