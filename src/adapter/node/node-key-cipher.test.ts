import * as nodeCrypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import vectors from '../../../test/fixtures/crypto-vectors.json' with { type: 'json' };
import { describeKeyCipherContract } from '../../../test/support/key-cipher-contract.ts';
import { base64ToBytes } from '../../crypto/base64.ts';
import { createKeyCipher, encryptedSecretSchema, generateSalt } from '../../crypto/key-cipher.ts';
import { createNodeKeyCipher } from './node-key-cipher.ts';

vi.mock('node:crypto', { spy: true });

describeKeyCipherContract('node:crypto', createNodeKeyCipher);

describe('node:crypto key cipher, interchangeable with the WebCrypto one', () => {
  const secret = vectors.secret;
  const salt = base64ToBytes(vectors.salt);

  it.each(vectors.vectors)('decrypts the committed vector encrypted on $madeBy', async (vector) => {
    const cipher = await createNodeKeyCipher(secret, salt);
    expect(await cipher.decrypt(encryptedSecretSchema.parse(vector.encrypted), vector.providerId)).toBe(vector.plaintext);
  });

  it('reads what the WebCrypto cipher wrote and writes what it reads', async () => {
    const web = await createKeyCipher(secret, salt);
    const node = await createNodeKeyCipher(secret, salt);
    const plaintext = 'sk-both-ways-é✓-0123456789';
    expect(await node.decrypt(await web.encrypt(plaintext, 'p-1'), 'p-1')).toBe(plaintext);
    const fromNode = await node.encrypt(plaintext, 'p-2');
    expect(encryptedSecretSchema.safeParse(fromNode).success).toBe(true);
    expect(await web.decrypt(fromNode, 'p-2')).toBe(plaintext);
  });

  it('derives the key with PBKDF2-SHA256, 100,000 iterations, 32 bytes, once per cipher', async () => {
    vi.mocked(nodeCrypto.pbkdf2).mockClear();
    const cipher = await createNodeKeyCipher(secret, generateSalt());
    for (let index = 0; index < 50; index++) await cipher.decrypt(await cipher.encrypt(`key-${index}`, 'p'), 'p');
    expect(nodeCrypto.pbkdf2).toHaveBeenCalledTimes(1);
    expect(vi.mocked(nodeCrypto.pbkdf2).mock.calls[0]!.slice(2, 5)).toEqual([100_000, 32, 'sha256']);
  });
});
