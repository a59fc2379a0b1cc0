// Writes test/fixtures/crypto-vectors.json: one provider key encrypted by the portable key cipher
// (src/crypto/key-cipher.ts) under Node's WebCrypto, one by the cipher the Node server uses
// (src/adapter/node/node-key-cipher.ts, node:crypto) and one inside workerd (Miniflare), all with
// the same secret and salt. Run once, commit the file: `node test/workers/make-crypto-vectors.mjs`.
// cross-runtime-key-cipher.test.ts then decrypts them all on both runtimes.
import { build } from 'esbuild';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { writeFile } from 'node:fs/promises';

const secret = 'cross-runtime-vector-secret-0123456789abcdef';
const salt = 'c2FsdC1mb3ItdmVjdG9ycw=='; // 16 bytes: "salt-for-vectors"
const plaintext = 'sk-vector-é✓-0123456789abcdefghij';

// The cipher module alone, plus a fetch handler for workerd; Node imports the same bundle.
const bundle = await build({
  stdin: {
    contents: `
      import { createKeyCipher } from './src/crypto/key-cipher.ts';
      import { base64ToBytes } from './src/crypto/base64.ts';
      export async function encrypt(secret, salt, providerId, plaintext) {
        return (await createKeyCipher(secret, base64ToBytes(salt))).encrypt(plaintext, providerId);
      }
      export default {
        async fetch(request) {
          const { secret, salt, providerId, plaintext } = await request.json();
          return Response.json(await encrypt(secret, salt, providerId, plaintext));
        },
      };`,
    resolveDir: new URL('../..', import.meta.url).pathname,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  write: false,
});
const code = bundle.outputFiles[0].text;

const { encrypt } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
const nodeVector = { madeBy: 'node', providerId: 'provider-made-on-node', plaintext };
nodeVector.encrypted = await encrypt(secret, salt, nodeVector.providerId, plaintext);

const nodeServerBundle = await build({
  stdin: {
    contents: `
      import { createNodeKeyCipher } from './src/adapter/node/node-key-cipher.ts';
      import { base64ToBytes } from './src/crypto/base64.ts';
      export async function encrypt(secret, salt, providerId, plaintext) {
        return (await createNodeKeyCipher(secret, base64ToBytes(salt))).encrypt(plaintext, providerId);
      }`,
    resolveDir: new URL('../..', import.meta.url).pathname,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
});
const nodeServer = await import(`data:text/javascript;base64,${Buffer.from(nodeServerBundle.outputFiles[0].text).toString('base64')}`);
const nodeServerVector = { madeBy: 'the Node server (node:crypto)', providerId: 'provider-made-by-node-server', plaintext };
nodeServerVector.encrypted = await nodeServer.encrypt(secret, salt, nodeServerVector.providerId, plaintext);

const miniflare = new Miniflare(
  convertV4MiniflareOptions({ workers: [{ name: 'vectors', modules: true, script: code, compatibilityDate: '2026-04-26' }] }),
);
const workerdVector = { madeBy: 'workerd', providerId: 'provider-made-in-workerd', plaintext };
const response = await miniflare.dispatchFetch('http://vectors.local/', {
  method: 'POST',
  body: JSON.stringify({ secret, salt, providerId: workerdVector.providerId, plaintext }),
});
workerdVector.encrypted = await response.json();
await miniflare.dispose();

const fixture = {
  about: 'Provider keys encrypted with the same secret and salt by src/crypto/key-cipher.ts on Node (WebCrypto), by src/adapter/node/node-key-cipher.ts (node:crypto, what the Node server uses) and inside workerd; written by test/workers/make-crypto-vectors.mjs.',
  secret,
  salt,
  vectors: [nodeVector, nodeServerVector, workerdVector],
};
await writeFile(new URL('../fixtures/crypto-vectors.json', import.meta.url), `${JSON.stringify(fixture, null, 2)}\n`);
console.log('wrote test/fixtures/crypto-vectors.json');
