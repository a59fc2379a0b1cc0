import { describe, expect, it } from 'vitest';
import vectors from '../../../test/fixtures/crypto-vectors.json' with { type: 'json' };
import { base64ToBytes } from '../../crypto/base64.ts';
import { createKeyCipher, DecryptionError, encryptedSecretSchema } from '../../crypto/key-cipher.ts';

// Run by both vitest projects: under Node and inside workerd. Each decrypts keys encrypted on
// Node (by the portable WebCrypto cipher and by the node:crypto one the Node server uses) and one
// encrypted inside workerd (committed in the fixture, written by
// test/workers/make-crypto-vectors.mjs), so a provider saved by one runtime is readable by the
// other, in both directions, with the same PROVIDER_ENCRYPTION_KEY and salt.

const runtime = typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers' ? 'workerd' : 'node';
const cipher = () => createKeyCipher(vectors.secret, base64ToBytes(vectors.salt));

describe(`key cipher vectors, decrypted on ${runtime}`, () => {
  it.each(vectors.vectors)('decrypts the key encrypted on $madeBy', async (vector) => {
    const encrypted = encryptedSecretSchema.parse(vector.encrypted);
    expect(await (await cipher()).decrypt(encrypted, vector.providerId)).toBe(vector.plaintext);
  });

  it.each(vectors.vectors)('refuses the $madeBy vector under another provider id or another salt', async (vector) => {
    const encrypted = encryptedSecretSchema.parse(vector.encrypted);
    await expect((await cipher()).decrypt(encrypted, `${vector.providerId}-other`)).rejects.toBeInstanceOf(DecryptionError);
    const otherSalt = await createKeyCipher(vectors.secret, new Uint8Array(16));
    await expect(otherSalt.decrypt(encrypted, vector.providerId)).rejects.toBeInstanceOf(DecryptionError);
  });

  it('encrypts a key that it decrypts again, in the committed format', async () => {
    const own = await cipher();
    const encrypted = await own.encrypt('sk-fresh-é✓-9876543210', 'fresh-provider');
    expect(encryptedSecretSchema.safeParse(encrypted).success).toBe(true);
    expect(await own.decrypt(encrypted, 'fresh-provider')).toBe('sk-fresh-é✓-9876543210');
  });
});
