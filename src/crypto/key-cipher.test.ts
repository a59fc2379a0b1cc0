import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeKeyCipherContract } from '../../test/support/key-cipher-contract.ts';
import { createKeyCipher, generateSalt, PBKDF2_ITERATIONS } from './key-cipher.ts';

describeKeyCipherContract('WebCrypto', createKeyCipher);

describe('WebCrypto key cipher', () => {
  afterEach(() => vi.restoreAllMocks());

  it('derives with PBKDF2-SHA256, 100,000 iterations, once per cipher', async () => {
    const deriveKey = vi.spyOn(crypto.subtle, 'deriveKey');
    const cipher = await createKeyCipher('a-test-encryption-secret-of-32-characters-or-more', generateSalt());
    for (let index = 0; index < 100; index++) {
      await cipher.decrypt(await cipher.encrypt(`key-${index}`, 'provider-1'), 'provider-1');
    }
    expect(deriveKey).toHaveBeenCalledTimes(1);
    const [algorithm] = deriveKey.mock.calls[0]!;
    expect(algorithm).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: PBKDF2_ITERATIONS });
    expect(PBKDF2_ITERATIONS).toBe(100_000);
  });
});
