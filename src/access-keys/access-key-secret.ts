import { ACCESS_KEY_PREFIX } from '../api/access-keys.ts';

// A new key's secret: `gwk_` and 32 base64url characters (192 random bits). Only its SHA-256 is
// ever stored; the hint keeps the prefix and the last 4 characters.

const SECRET_BYTES = 24;

export function generateAccessKeySecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `${ACCESS_KEY_PREFIX}${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

export async function hashAccessKeySecret(secret: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export function makeAccessKeyHint(secret: string): string {
  return `${ACCESS_KEY_PREFIX}…${secret.slice(-4)}`;
}
