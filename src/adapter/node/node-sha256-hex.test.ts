import { expect, it } from 'vitest';
import { webSha256Hex } from '../../crypto/sha256-hex.ts';
import { nodeSha256Hex } from './node-sha256-hex.ts';

it('hashes exactly as the WebCrypto version, so stored access-key hashes match on either runtime', async () => {
  for (const text of ['', 'gwk_abc', 'é✓🔑 token', 'x'.repeat(10_000)]) expect(nodeSha256Hex(text)).toBe(await webSha256Hex(text));
  expect(nodeSha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
