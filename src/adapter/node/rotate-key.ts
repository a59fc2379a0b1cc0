import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DecryptionError } from '../../crypto/key-cipher.ts';
import { StorageUnavailableError } from '../../errors/api-error.ts';
import { openCustomHeaders } from '../../providers/open-custom-headers.ts';
import { sealCustomHeaders } from '../../providers/seal-custom-headers.ts';
import type { StoredProvider } from '../../storage/provider-store.ts';
import { commandLine } from './command-line.ts';
import { GENERATED_KEY_FILE, replaceGeneratedKey } from './encryption-secret.ts';
import { FileLockedError } from './file-lock.ts';
import { createNodeKeyCipher } from './node-key-cipher.ts';
import { openNodeBackend, type NodeBackend } from './open-node-backend.ts';
import { otherGatewaysOn } from './redis/connected-gateways.ts';
import { RedisStartupError } from './redis/redis-connection.ts';

// `npm run rotate-key`: re-encrypts every stored API key and custom header values from the old
// PROVIDER_ENCRYPTION_KEY to a new one, in whichever backend the configuration names (the data folder, or REDIS_URL). Keys
// come from the environment, never from arguments (which `ps` and shell history show). Every
// record is decrypted and re-encrypted in memory first, then written back with one putMany, all
// or nothing (one atomic file rename, or one Redis script): a kill at any moment leaves every
// record under the old key or every record under the new one. The salt is kept: it is not
// secret, and changing it would need a second write to change in step. A key generated into the
// data folder (data/encryption.key) is then replaced by the new one, so the file on disk no longer
// opens old backups; killed between the two writes, the records are under the new key and the
// file still holds the old one, which the start-up check names.

const cli = commandLine('rotate-key');
// Declared with its type, so TypeScript knows a call to it does not return.
const fail: (message: string) => never = cli.fail;

async function main(): Promise<void> {
  const config = cli.config();
  const { logger } = cli;
  // The JSON-file backend's lock also refuses to run while the server has the folder open.
  const storage = await openNodeBackend(config, { logger, clientName: 'llm-gateway-rotate-key' }).catch((error: unknown) => {
    if (error instanceof FileLockedError || error instanceof RedisStartupError) fail(error.message);
    throw error;
  });
  try {
    await rotate(storage);
  } catch (error) {
    if (error instanceof StorageUnavailableError) fail(`${error.message}; nothing was changed.`);
    throw error;
  } finally {
    await storage.close();
  }
}

async function rotate(storage: NodeBackend): Promise<void> {
  const oldKey = process.env.OLD_PROVIDER_ENCRYPTION_KEY || (storage.kind === 'json-file' ? await readGeneratedKey(storage.dataFolder) : undefined);
  const newKey = process.env.NEW_PROVIDER_ENCRYPTION_KEY;
  if (!oldKey) fail('Set OLD_PROVIDER_ENCRYPTION_KEY to the key the providers are stored with.');
  if (!newKey || newKey.length < 32) fail('Set NEW_PROVIDER_ENCRYPTION_KEY to the new key (at least 32 characters).');
  if (newKey === oldKey) fail('NEW_PROVIDER_ENCRYPTION_KEY is the same as the old key.');
  if (storage.kind === 'json-file') {
    // Lost mid-run to another process: stop before writing over what it may have written.
    void storage.lockLost.then(() => fail('another process took over the lock on PROVIDERS_FILE; nothing more was written.'));
  } else {
    // A running gateway keeps the old key in memory and would write records under it.
    const others = await otherGatewaysOn(storage.connection);
    if (others > 0) fail(`${others} gateway connection(s) are open on REDIS_URL: stop every gateway first, then rotate, then start them with the new key.`);
  }

  const providers = await storage.providers.list();
  const salt = await storage.loadOrCreateSalt();
  const oldCipher = await createNodeKeyCipher(oldKey, salt);
  const newCipher = await createNodeKeyCipher(newKey, salt);
  const rotated: StoredProvider[] = [];
  for (const provider of providers) {
    const { encryptedApiKey } = provider;
    let plaintext: string | undefined;
    let opened: StoredProvider;
    try {
      // A provider without a key (Ollama, vLLM) may still have custom header values to re-encrypt.
      plaintext = encryptedApiKey === null ? undefined : await oldCipher.decrypt(encryptedApiKey, provider.id);
      // Custom header values too (plain ones, from before they were encrypted, are sealed on the way).
      opened = await openCustomHeaders(oldCipher, provider);
    } catch (error) {
      if (error instanceof DecryptionError) fail(`OLD_PROVIDER_ENCRYPTION_KEY cannot decrypt provider ${provider.id}; nothing was changed.`);
      throw error;
    }
    rotated.push({
      ...provider,
      ...(await sealCustomHeaders(newCipher, provider.id, opened.customHeaders)),
      encryptedApiKey: plaintext === undefined ? null : await newCipher.encrypt(plaintext, provider.id),
    });
  }
  await storage.providers.putMany(rotated);
  const where = storage.kind === 'json-file' ? storage.providers.path : 'REDIS_URL';
  const keyFile = storage.kind === 'json-file' ? await replaceGeneratedKey(storage.dataFolder, newKey) : undefined;
  const next = keyFile === undefined
    ? 'Start the server with PROVIDER_ENCRYPTION_KEY set to the new key.'
    : `${keyFile} now holds the new key (a server without PROVIDER_ENCRYPTION_KEY reads it); backups made before need the old key.`;
  process.stdout.write(`Re-encrypted ${rotated.filter((provider) => provider.encryptedApiKey !== null).length} provider key(s) and their custom header values in ${where}. ${next}\n`);
}

async function readGeneratedKey(dataFolder: string): Promise<string | undefined> {
  return readFile(join(dataFolder, GENERATED_KEY_FILE), 'utf8').then((text) => text.trim(), () => undefined);
}

await main();
