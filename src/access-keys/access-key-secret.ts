import { ACCESS_KEY_PREFIX } from '../api/access-keys.ts';
import { webSha256Hex, type Sha256Hex } from '../crypto/sha256-hex.ts';

// A new key's secret: `gwk_` and 32 base64url characters (192 random bits). Only its SHA-256 is
// ever stored; the hint keeps the prefix and the last 4 characters.

const SECRET_BYTES = 24;

export function generateAccessKeySecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `${ACCESS_KEY_PREFIX}${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

export async function hashAccessKeySecret(secret: string, sha256Hex: Sha256Hex = webSha256Hex): Promise<string> {
  return sha256Hex(secret);
}

export function makeAccessKeyHint(secret: string): string {
  return `${ACCESS_KEY_PREFIX}…${secret.slice(-4)}`;
}
