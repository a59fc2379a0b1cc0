import { randomBytes } from 'node:crypto';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../logging/logger.ts';
import { generateSalt, SALT_BYTES } from '../../crypto/key-cipher.ts';
import { base64ToBytes, bytesToBase64 } from '../../crypto/base64.ts';
import { atomicWriteFile } from './atomic-write-file.ts';

// Where the Node server's encryption secret and salt come from. The salt lives beside the
// providers file but apart from it; the secret comes from PROVIDER_ENCRYPTION_KEY, or, outside
// production, from a key generated once into the data folder so `npm start` works on a fresh clone.

export class EncryptionSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionSetupError';
  }
}

export const GENERATED_KEY_FILE = 'encryption.key';

export async function resolveEncryptionSecret(options: {
  configured: string | undefined;
  production: boolean;
  dataFolder: string;
  logger: Logger;
}): Promise<string> {
  if (options.configured !== undefined) return options.configured;
  if (options.production) {
    throw new EncryptionSetupError('PROVIDER_ENCRYPTION_KEY is required when NODE_ENV=production (at least 32 characters, e.g. `openssl rand -base64 48`).');
  }
  const path = join(options.dataFolder, GENERATED_KEY_FILE);
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) {
    const key = existing.trim();
    if (key.length < 32) throw new EncryptionSetupError(`${path} holds a key shorter than 32 characters; delete it only if no provider was stored with it.`);
    return key;
  }
  const generated = randomBytes(48).toString('base64url');
  await writeFile(path, `${generated}\n`, { flag: 'wx', mode: 0o600 });
  options.logger.warn('generated an encryption key because PROVIDER_ENCRYPTION_KEY is not set; set PROVIDER_ENCRYPTION_KEY for anything but local use', { keyFile: path });
  return generated;
}

/**
 * After a key rotation: a generated key file left as it was would still open every old backup of
 * the data folder. Replaced atomically (mode 0600) when there is one; its path, or undefined.
 */
export async function replaceGeneratedKey(dataFolder: string, newKey: string): Promise<string | undefined> {
  const path = join(dataFolder, GENERATED_KEY_FILE);
  const exists = await access(path).then(() => true, () => false);
  if (!exists) return undefined;
  await atomicWriteFile(path, `${newKey}\n`, 0o600);
  return path;
}

/** The salt for PBKDF2, created on first use. */
export async function loadOrCreateSalt(path: string, hasStoredProviders: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const existing = await readSalt(path);
  if (existing !== undefined) return existing;
  if (hasStoredProviders) {
    // A new salt would make every stored key unreadable; refuse instead of silently doing so.
    throw new EncryptionSetupError(`The salt file ${path} is missing but providers are stored; restore it from a backup.`);
  }
  const salt = generateSalt();
  try {
    await writeFile(path, `${bytesToBase64(salt)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Created by a concurrent call since the read: that one is the salt, once its write is done.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    for (let attempt = 0; attempt < 50; attempt++) {
      const created = await readSalt(path);
      if (created !== undefined) return created;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new EncryptionSetupError(`The salt file ${path} is empty; restore it from a backup.`);
  }
  return salt;
}

async function readSalt(path: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  // Empty: just created by writeFile, whose write has not landed yet.
  if (existing === undefined || existing.length === 0) return undefined;
  let salt: Uint8Array<ArrayBuffer>;
  try {
    salt = base64ToBytes(existing.trim());
  } catch {
    throw new EncryptionSetupError(`The salt file ${path} is corrupt; restore it from a backup.`);
  }
  if (salt.length !== SALT_BYTES) throw new EncryptionSetupError(`The salt file ${path} is corrupt; restore it from a backup.`);
  return salt;
}
