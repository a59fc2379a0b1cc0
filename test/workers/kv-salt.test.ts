import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { loadOrCreateKvSalt, SALT_KEY, SaltSetupError } from '../../src/adapter/cloudflare-workers/kv-salt.ts';
import { base64ToBytes } from '../../src/crypto/base64.ts';
import { freshKvNamespace } from './prefixed-kv.ts';

describe('the PBKDF2 salt in KV', () => {
  it('is created once on an empty namespace and read back afterwards', async () => {
    const kv = freshKvNamespace(env.STORE_TEST_KV);
    const salt = await loadOrCreateKvSalt(kv);
    expect(salt).toHaveLength(16);
    expect(base64ToBytes((await kv.get(SALT_KEY, 'text'))!)).toEqual(salt);
    expect(await loadOrCreateKvSalt(kv)).toEqual(salt);
  });

  it('is never replaced when missing while providers are stored', async () => {
    const kv = freshKvNamespace(env.STORE_TEST_KV);
    await kv.put('provider:someone', '{}');
    await expect(loadOrCreateKvSalt(kv)).rejects.toThrow(SaltSetupError);
    await expect(loadOrCreateKvSalt(kv)).rejects.toThrow(/config:encryption-salt is missing but providers are stored/);
    expect(await kv.get(SALT_KEY, 'text')).toBeNull();
  });

  it.each([['not base64', '%%%'], ['the wrong length', 'c2hvcnQ=']])('refuses a stored salt that is %s', async (_, value) => {
    const kv = freshKvNamespace(env.STORE_TEST_KV);
    await kv.put(SALT_KEY, value);
    await expect(loadOrCreateKvSalt(kv)).rejects.toThrow(SaltSetupError);
    expect(await kv.get(SALT_KEY, 'text')).toBe(value);
  });
});
