import type * as z from 'zod';
import { base64ToBytes, bytesToBase64 } from '../crypto/base64.ts';
import { ValidationError } from '../errors/api-error.ts';

// A page's `next`: a backend's position in its own order, as JSON in base64url, so callers treat
// it as the opaque token it is. A cursor that does not decode to the backend's shape is the
// caller's mistake (400), never a read from an arbitrary position.

export function encodeCursor(position: unknown): string {
  return bytesToBase64(new TextEncoder().encode(JSON.stringify(position))).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64ToBytes(cursor.replaceAll('-', '+').replaceAll('_', '/'))));
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError('before is not a cursor this server gave (use the `next` of a page)', { field: 'before' });
  return parsed.data;
}
