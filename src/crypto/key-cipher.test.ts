import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeyCipher, DecryptionError, generateSalt, PBKDF2_ITERATIONS } from './key-cipher.ts';

const secret = 'a-test-encryption-secret-of-32-characters-or-more';
const salt = generateSalt();

describe('key cipher', () => {
  afterEach(() => vi.restoreAllMocks());

  it('round-trips a key and never stores it in plain text', async () => {
    const cipher = await createKeyCipher(secret, salt);
    const encrypted = await cipher.encrypt('sk-CANARY-roundtrip-0001', 'provider-1');
    expect(JSON.stringify(encrypted)).not.toContain('sk-CANARY');
    expect(encrypted.v).toBe(1);
    expect(await cipher.decrypt(encrypted, 'provider-1')).toBe('sk-CANARY-roundtrip-0001');
  });

  it('uses a fresh 12-byte IV for each of 10,000 encryptions', async () => {
    const cipher = await createKeyCipher(secret, salt);
    const ivs = new Set<string>();
    for (let index = 0; index < 10_000; index++) ivs.add((await cipher.encrypt('same key', 'provider-1')).iv);
    expect(ivs.size).toBe(10_000);
    expect(atob([...ivs][0]!).length).toBe(12);
  });

  it.each(['data', 'iv', 'tag'] as const)('refuses a tampered %s', async (field) => {
    const cipher = await createKeyCipher(secret, salt);
    const encrypted = await cipher.encrypt('sk-CANARY-tamper-0002', 'provider-1');
    const bytes = Uint8Array.from(atob(encrypted[field]), (character) => character.charCodeAt(0));
    bytes[0] = bytes[0]! ^ 0x01;
    const tampered = { ...encrypted, [field]: btoa(String.fromCharCode(...bytes)) };
    await expect(cipher.decrypt(tampered, 'provider-1')).rejects.toBeInstanceOf(DecryptionError);
  });

  it('refuses a ciphertext moved to another provider id', async () => {
    const cipher = await createKeyCipher(secret, salt);
    const encrypted = await cipher.encrypt('sk-CANARY-moved-0003', 'provider-1');
    await expect(cipher.decrypt(encrypted, 'provider-2')).rejects.toBeInstanceOf(DecryptionError);
  });

  it('refuses the wrong key and the wrong salt', async () => {
    const encrypted = await (await createKeyCipher(secret, salt)).encrypt('sk-CANARY-wrongkey-0004', 'provider-1');
    const wrongKey = await createKeyCipher(`${secret}-but-different`, salt);
    await expect(wrongKey.decrypt(encrypted, 'provider-1')).rejects.toBeInstanceOf(DecryptionError);
    const wrongSalt = await createKeyCipher(secret, generateSalt());
    await expect(wrongSalt.decrypt(encrypted, 'provider-1')).rejects.toBeInstanceOf(DecryptionError);
  });

  it('derives with PBKDF2-SHA256, 100,000 iterations, once per cipher', async () => {
    const deriveKey = vi.spyOn(crypto.subtle, 'deriveKey');
    const cipher = await createKeyCipher(secret, salt);
    for (let index = 0; index < 100; index++) {
      await cipher.decrypt(await cipher.encrypt(`key-${index}`, 'provider-1'), 'provider-1');
    }
    expect(deriveKey).toHaveBeenCalledTimes(1);
    const [algorithm] = deriveKey.mock.calls[0]!;
    expect(algorithm).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: PBKDF2_ITERATIONS });
    expect(PBKDF2_ITERATIONS).toBe(100_000);
  });
});
