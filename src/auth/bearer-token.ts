import type { Context } from 'hono';

const bearerPattern = /^Bearer +([^\s]+) *$/i;

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerToken(c: Context): string | undefined {
  return bearerPattern.exec(c.req.header('authorization') ?? '')?.[1];
}
