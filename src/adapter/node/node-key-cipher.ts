import { createCipheriv, createDecipheriv, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import {
  additionalDataFor,
  DecryptionError,
  decodePlaintext,
  DERIVED_KEY_BYTES,
  FORMAT_VERSION,
  IV_BYTES,
  PBKDF2_ITERATIONS,
  TAG_BYTES,
  type KeyCipher,
} from '../../crypto/key-cipher.ts';

// The same cipher as src/crypto/key-cipher.ts (PBKDF2-SHA256 100,000 iterations, AES-256-GCM,
// provider id as AAD, the same stored format), on node:crypto instead of WebCrypto. The reason is
// cost on the chat path: Node runs every crypto.subtle call as a job on its thread pool, and one
// decryption of a stored key measured 40-60 µs of CPU alone and about 125 µs under load in the
// proxy's profile; node:crypto does it in about 10 µs on the calling thread (`npm run bench`
// profiles, bench/README.md). Both implementations decrypt the committed cross-runtime vectors
// and each other's output (node-key-cipher.test.ts), so a store moves freely between Node and
// Workers.

const pbkdf2Async = promisify(pbkdf2);
const ALGORITHM = 'aes-256-gcm';

/** Derives the key once; the returned cipher reuses it for every call. */
export async function createNodeKeyCipher(secret: string, salt: Uint8Array): Promise<KeyCipher> {
  const key = await pbkdf2Async(secret, salt, PBKDF2_ITERATIONS, DERIVED_KEY_BYTES, 'sha256');
  return {
    async encrypt(plaintext, providerId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalDataFor(providerId));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return {
        v: FORMAT_VERSION,
        iv: iv.toString('base64'),
        data: data.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
      };
    },
    async decrypt(secretValue, providerId) {
      try {
        const iv = strictBase64(secretValue.iv);
        const tag = strictBase64(secretValue.tag);
        if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError();
        const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(additionalDataFor(providerId));
        decipher.setAuthTag(tag);
        const plaintext = Buffer.concat([decipher.update(strictBase64(secretValue.data)), decipher.final()]);
        return decodePlaintext(plaintext);
      } catch {
        throw new DecryptionError();
      }
    },
  };
}

// Buffer.from(…, 'base64') skips characters it does not know; the WebCrypto cipher's atob throws
// on them. Refuse the same inputs on both runtimes.
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function strictBase64(value: string): Buffer {
  if (!base64Pattern.test(value)) throw new DecryptionError();
  return Buffer.from(value, 'base64');
}
