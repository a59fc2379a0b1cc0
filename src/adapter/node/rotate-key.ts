import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { base64ToBytes } from '../../crypto/base64.ts';
import { DecryptionError } from '../../crypto/key-cipher.ts';
import { atomicWriteFile } from './atomic-write-file.ts';
import { GENERATED_KEY_FILE } from './encryption-secret.ts';
import { createLogger } from '../../logging/logger.ts';
import { acquireFileLock, FileLockedError } from './file-lock.ts';
import { openJsonFileProviderStore } from './json-file-provider-store.ts';
import { createNodeKeyCipher } from './node-key-cipher.ts';

// `npm run rotate-key`: re-encrypts every stored API key from the old PROVIDER_ENCRYPTION_KEY to a
// new one. Keys come from the environment, never from arguments (which `ps` and shell history
// show). Every record is decrypted and re-encrypted in memory first; the file is then replaced in
// one atomic rename, so a kill at any moment leaves every record under the old key or every
// record under the new one. The salt is kept: it is not secret, and changing it would need a
// second file to change in step.

async function main(): Promise<void> {
  const providersFile = resolve(process.env.PROVIDERS_FILE || './data/providers.json');
  const oldKey = process.env.OLD_PROVIDER_ENCRYPTION_KEY || (await readGeneratedKey(dirname(providersFile)));
  const newKey = process.env.NEW_PROVIDER_ENCRYPTION_KEY;
  if (!oldKey) fail('Set OLD_PROVIDER_ENCRYPTION_KEY to the key the providers are stored with.');
  if (!newKey || newKey.length < 32) fail('Set NEW_PROVIDER_ENCRYPTION_KEY to the new key (at least 32 characters).');
  if (newKey === oldKey) fail('NEW_PROVIDER_ENCRYPTION_KEY is the same as the old key.');

  // The lock also refuses to run while the server has the file open.
  const lock = await acquireFileLock(providersFile, { logger: createLogger({ level: 'warn', write: (line) => process.stderr.write(`${line}\n`) }) }).catch((error: unknown) => {
    if (error instanceof FileLockedError) fail(error.message);
    throw error;
  });
  // Lost mid-run to another process: stop before writing over what it may have written.
  void lock.lost.then(() => fail('another process took over the lock on PROVIDERS_FILE; nothing more was written.'));
  try {
    const store = await openJsonFileProviderStore(providersFile);
    const providers = await store.list();
    const salt = base64ToBytes((await readFile(`${providersFile}.salt`, 'utf8')).trim());
    const oldCipher = await createNodeKeyCipher(oldKey, salt);
    const newCipher = await createNodeKeyCipher(newKey, salt);
    const rotated = [];
    for (const provider of providers) {
      let plaintext: string;
      try {
        plaintext = await oldCipher.decrypt(provider.encryptedApiKey, provider.id);
      } catch (error) {
        if (error instanceof DecryptionError) fail(`OLD_PROVIDER_ENCRYPTION_KEY cannot decrypt provider ${provider.id}; nothing was changed.`);
        throw error;
      }
      rotated.push({ ...provider, encryptedApiKey: await newCipher.encrypt(plaintext, provider.id) });
    }
    await atomicWriteFile(providersFile, `${JSON.stringify({ version: 1, providers: rotated }, null, 2)}\n`);
    process.stdout.write(`Re-encrypted ${rotated.length} provider key(s) in ${providersFile}. Start the server with PROVIDER_ENCRYPTION_KEY set to the new key.\n`);
  } finally {
    await lock.release();
  }
}

async function readGeneratedKey(dataFolder: string): Promise<string | undefined> {
  return readFile(join(dataFolder, GENERATED_KEY_FILE), 'utf8').then((text) => text.trim(), () => undefined);
}

function fail(message: string): never {
  process.stderr.write(`rotate-key: ${message}\n`);
  process.exit(1);
}

await main();
