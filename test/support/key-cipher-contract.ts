import { describe, expect, it } from 'vitest';
import { DecryptionError, generateSalt, type KeyCipher } from '../../src/crypto/key-cipher.ts';

// What every KeyCipher implementation must do, run against each one (WebCrypto in the core,
// node:crypto in the Node adapter).

export type KeyCipherFactory = (secret: string, salt: Uint8Array<ArrayBuffer>) => Promise<KeyCipher>;

const secret = 'a-test-encryption-secret-of-32-characters-or-more';

export function describeKeyCipherContract(name: string, create: KeyCipherFactory): void {
  const salt = generateSalt();

  describe(`${name}: key cipher contract`, () => {
    it('round-trips a key and never stores it in plain text', async () => {
      const cipher = await create(secret, salt);
      const encrypted = await cipher.encrypt('sk-CANARY-roundtrip-0001', 'provider-1');
      expect(JSON.stringify(encrypted)).not.toContain('sk-CANARY');
      expect(encrypted.v).toBe(1);
      expect(await cipher.decrypt(encrypted, 'provider-1')).toBe('sk-CANARY-roundtrip-0001');
    });

    it('uses a fresh 12-byte IV for each of 10,000 encryptions', async () => {
      const cipher = await create(secret, salt);
      const ivs = new Set<string>();
      for (let index = 0; index < 10_000; index++) ivs.add((await cipher.encrypt('same key', 'provider-1')).iv);
      expect(ivs.size).toBe(10_000);
      expect(atob([...ivs][0]!).length).toBe(12);
    });

    it.each(['data', 'iv', 'tag'] as const)('refuses a tampered %s', async (field) => {
      const cipher = await create(secret, salt);
      const encrypted = await cipher.encrypt('sk-CANARY-tamper-0002', 'provider-1');
      const bytes = Uint8Array.from(atob(encrypted[field]), (character) => character.charCodeAt(0));
      bytes[0] = bytes[0]! ^ 0x01;
      const tampered = { ...encrypted, [field]: btoa(String.fromCharCode(...bytes)) };
      await expect(cipher.decrypt(tampered, 'provider-1')).rejects.toBeInstanceOf(DecryptionError);
    });

    it.each([
      ['a truncated tag', { tag: 'AAAA' }],
      ['a short IV', { iv: 'AAAAAAAA' }],
      ['base64 that is not base64', { data: 'not base64!' }],
    ])('refuses %s', async (_label, change) => {
      const cipher = await create(secret, salt);
      const encrypted = await cipher.encrypt('sk-CANARY-malformed-0005', 'provider-1');
      await expect(cipher.decrypt({ ...encrypted, ...change }, 'provider-1')).rejects.toBeInstanceOf(DecryptionError);
    });

    it('refuses a ciphertext moved to another provider id', async () => {
      const cipher = await create(secret, salt);
      const encrypted = await cipher.encrypt('sk-CANARY-moved-0003', 'provider-1');
      await expect(cipher.decrypt(encrypted, 'provider-2')).rejects.toBeInstanceOf(DecryptionError);
    });

    it('refuses the wrong key and the wrong salt', async () => {
      const encrypted = await (await create(secret, salt)).encrypt('sk-CANARY-wrongkey-0004', 'provider-1');
      const wrongKey = await create(`${secret}-but-different`, salt);
      await expect(wrongKey.decrypt(encrypted, 'provider-1')).rejects.toBeInstanceOf(DecryptionError);
      const wrongSalt = await create(secret, generateSalt());
      await expect(wrongSalt.decrypt(encrypted, 'provider-1')).rejects.toBeInstanceOf(DecryptionError);
    });

    it('round-trips non-ASCII keys and the empty string', async () => {
      const cipher = await create(secret, salt);
      for (const key of ['', 'sk-é✓-ключ-🔑']) {
        expect(await cipher.decrypt(await cipher.encrypt(key, 'provider-1'), 'provider-1')).toBe(key);
      }
    });
  });
}
