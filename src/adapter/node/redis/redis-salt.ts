import { base64ToBytes, bytesToBase64 } from '../../../crypto/base64.ts';
import { generateSalt, SALT_BYTES } from '../../../crypto/key-cipher.ts';
import type { RedisConnection } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';

// The PBKDF2 salt under `salt`, base64 as in providers.json.salt. Created with SET NX and read
// back: when several processes start on an empty Redis at once, one write wins and all of them
// use the winner's salt.

export class RedisSaltError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisSaltError';
  }
}

export async function loadOrCreateRedisSalt(connection: RedisConnection, keys: RedisKeys): Promise<Uint8Array<ArrayBuffer>> {
  let stored = await connection.call((client) => client.get(keys.salt));
  if (stored === null) {
    if ((await connection.call((client) => client.hLen(keys.providers))) > 0) {
      // A new salt would make every stored key unreadable; refuse instead of silently doing so.
      throw new RedisSaltError(`The Redis key ${keys.salt} is missing but providers are stored; restore it from a backup.`);
    }
    await connection.call((client) => client.set(keys.salt, bytesToBase64(generateSalt()), { condition: 'NX' }));
    stored = await connection.call((client) => client.get(keys.salt));
  }
  let salt: Uint8Array<ArrayBuffer> | undefined;
  try {
    salt = stored === null ? undefined : base64ToBytes(stored.trim());
  } catch {
    salt = undefined;
  }
  if (salt?.length !== SALT_BYTES) throw new RedisSaltError(`The Redis key ${keys.salt} is not a ${SALT_BYTES}-byte base64 salt; restore it from a backup.`);
  return salt;
}
