import * as z from 'zod';
import { base64ToBytes, bytesToBase64 } from './base64.ts';

// API keys at rest: AES-256-GCM under a key derived once per process (PBKDF2-SHA256, 100,000
// iterations: the most production Workers accept) from PROVIDER_ENCRYPTION_KEY and a random salt.
// The provider id is bound in as additional authenticated data, so a ciphertext copied onto
// another provider fails to decrypt instead of leaking one provider's key through another.
// This is the portable implementation (WebCrypto, used on Workers); the Node server uses the same
// scheme on node:crypto (src/adapter/node/node-key-cipher.ts), which costs about a fifth as much there.

export const PBKDF2_ITERATIONS = 100_000;
export const SALT_BYTES = 16;
export const DERIVED_KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const FORMAT_VERSION = 1;

export const encryptedSecretSchema = z.object({
  v: z.literal(FORMAT_VERSION),
  iv: z.string().min(1),
  data: z.string(),
  tag: z.string().min(1),
});

export type EncryptedSecret = z.infer<typeof encryptedSecretSchema>;

export interface KeyCipher {
  encrypt(plaintext: string, providerId: string): Promise<EncryptedSecret>;
  /** Throws DecryptionError when the key, the salt, the provider id or the data do not match. */
  decrypt(secret: EncryptedSecret, providerId: string): Promise<string>;
}

export class DecryptionError extends Error {
  constructor() {
    super('Stored API key could not be decrypted with the configured PROVIDER_ENCRYPTION_KEY');
    this.name = 'DecryptionError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** What binds a ciphertext to its provider; every KeyCipher implementation must use exactly this. */
export function additionalDataFor(providerId: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`provider:${providerId}`);
}

/** Strict UTF-8: bytes that decrypt but are not text count as a failed decryption. */
export function decodePlaintext(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function generateSalt(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(SALT_BYTES));
}

export async function deriveEncryptionKey(secret: string, salt: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PBKDF2_ITERATIONS },
    material,
    { name: 'AES-GCM', length: DERIVED_KEY_BYTES * 8 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Derives the key once; the returned cipher reuses it for every call. */
export async function createKeyCipher(secret: string, salt: Uint8Array<ArrayBuffer>): Promise<KeyCipher> {
  return createKeyCipherFromKey(await deriveEncryptionKey(secret, salt));
}

export function createKeyCipherFromKey(key: CryptoKey): KeyCipher {
  return {
    async encrypt(plaintext, providerId) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv, additionalData: additionalDataFor(providerId), tagLength: TAG_BYTES * 8 },
          key,
          encoder.encode(plaintext),
        ),
      );
      // WebCrypto appends the tag to the ciphertext; the stored format keeps them apart.
      return {
        v: FORMAT_VERSION,
        iv: bytesToBase64(iv),
        data: bytesToBase64(sealed.subarray(0, sealed.length - TAG_BYTES)),
        tag: bytesToBase64(sealed.subarray(sealed.length - TAG_BYTES)),
      };
    },
    async decrypt(secret, providerId) {
      try {
        const iv = base64ToBytes(secret.iv);
        const data = base64ToBytes(secret.data);
        const tag = base64ToBytes(secret.tag);
        if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError();
        const sealed = new Uint8Array(data.length + TAG_BYTES);
        sealed.set(data);
        sealed.set(tag, data.length);
        const plaintext = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv, additionalData: additionalDataFor(providerId), tagLength: TAG_BYTES * 8 },
          key,
          sealed,
        );
        return decodePlaintext(new Uint8Array(plaintext));
      } catch {
        throw new DecryptionError();
      }
    },
  };
}
