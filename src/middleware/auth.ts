import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import { UnauthorizedError } from '../errors/api-error.ts';

// Bearer tokens, compared in constant time (both sides hashed first, so a wrong length takes the
// same path as a wrong token). Decisions use the routed method and path, never a URL rebuilt from
// Host. With neither a token nor ALLOW_UNAUTHENTICATED, everything but health is refused: the Node
// entry point only sets that flag itself when it is bound to loopback.

export interface AuthOptions {
  apiToken?: string;
  adminToken?: string;
  allowUnauthenticated: boolean;
}

const bearerPattern = /^Bearer +([^\s]+) *$/i;

export function isAdminRequest(method: string, path: string): boolean {
  if (!path.startsWith('/api/v1/providers')) return false;
  if (method === 'POST' || method === 'PUT' || method === 'DELETE' || method === 'PATCH') return true;
  return false;
}

export function authenticate(options: AuthOptions): MiddlewareHandler {
  const { apiToken, adminToken, allowUnauthenticated } = options;
  return async (c, next) => {
    const method = c.req.method;
    const path = c.req.path;
    if ((method === 'GET' || method === 'HEAD') && path === '/api/v1/health') return next();
    const presented = bearerPattern.exec(c.req.header('authorization') ?? '')?.[1];
    const matches = async (expected: string | undefined) =>
      expected !== undefined && presented !== undefined && (await timingSafeEqual(presented, expected));

    if (adminToken !== undefined && isAdminRequest(method, path)) {
      if (await matches(adminToken)) return next();
      throw new UnauthorizedError(presented === undefined ? 'This route needs the admin bearer token' : 'Invalid admin token');
    }
    if (apiToken !== undefined) {
      if ((await matches(apiToken)) || (await matches(adminToken))) return next();
      throw new UnauthorizedError(presented === undefined ? 'Missing bearer token' : 'Invalid bearer token');
    }
    if (allowUnauthenticated || (await matches(adminToken))) return next();
    throw new UnauthorizedError('This server has no API_AUTH_TOKEN and does not allow unauthenticated access');
  };
}
