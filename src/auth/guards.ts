import type { Context, MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import { ACCESS_KEY_PREFIX } from '../api/access-keys.ts';
import type { AppEnv } from '../app-env.ts';
import type { Sha256Hex } from '../crypto/sha256-hex.ts';
import { ForbiddenError, UnauthorizedError } from '../errors/api-error.ts';
import type { StoredAccessKey } from '../storage/access-key-store.ts';
import { bearerToken } from './bearer-token.ts';
import type { Caller, CallerKind } from './caller.ts';
import { openModeRefusal, type OpenModeRules } from './open-mode-refusal.ts';

// Who may call a route is said where the route is declared: `.post('/keys', guards.management,
// handler)`. A route without a guard is public, so a renamed or new route cannot silently lose
// the protection a path pattern somewhere else used to give it.
//
// Tokens are compared in constant time (hashed first, so a wrong length takes the same path as a
// wrong token). Without API_AUTH_TOKEN and without ALLOW_UNAUTHENTICATED, every guarded route is
// refused: the Node entry point sets that flag itself only when it is bound to loopback. A server
// that serves without a token answers only loopback hosts and its own pages' writes
// (`guards.openMode`, which the app runs before every route: open-mode-refusal.ts).

export interface GuardOptions {
  apiToken?: string;
  adminToken?: string;
  allowUnauthenticated: boolean;
  /** The stored key a `gwk_` secret belongs to, if it is usable now (known, enabled, unexpired). */
  authenticateAccessKey(secret: string): Promise<StoredAccessKey | null>;
  /** Runs after an access key is accepted: its own rate limit. */
  accessKeyLimit: MiddlewareHandler<AppEnv>;
  /** The hash tokens are compared through; hono's (WebCrypto) when absent. */
  sha256Hex?: Sha256Hex;
  /** Who may reach a server that serves without a token: ALLOWED_HOSTS and ALLOWED_ORIGINS. */
  openMode: OpenModeRules;
}

export type Guard = MiddlewareHandler<AppEnv>;

export interface Guards {
  /** Provider and key management, usage of every caller, metrics. */
  management: Guard;
  /** The shared token or management: reading providers and checking them. */
  client: Guard;
  /** Also access keys: chat, responses, embeddings and the model list. */
  clientOrAccessKey: Guard;
  /** The same callers, whose credential may also come as `x-api-key` (what the Anthropic SDKs and Claude Code send): messages. */
  clientOrAccessKeyByApiKey: Guard;
  /** Management, or an access key for what concerns itself (its usage). */
  managementOrAccessKey: Guard;
  /**
   * Before every route, public ones included: on a server that needs no token, a request for
   * another host, or a write from another site's page, is 403 FORBIDDEN. Passes everything when
   * tokens are required.
   */
  openMode: Guard;
  /** The caller, resolved (and remembered) for this request; null when nobody is recognised. */
  resolve(c: Context<AppEnv>): Promise<Caller | null>;
}

export function createGuards(options: GuardOptions): Guards {
  const { apiToken, adminToken, allowUnauthenticated, sha256Hex } = options;
  const anonymous: Caller | null = apiToken === undefined && allowUnauthenticated ? { kind: adminToken === undefined ? 'management' : 'client' } : null;

  async function identify(presented: string | undefined): Promise<Caller | null> {
    if (presented?.startsWith(ACCESS_KEY_PREFIX)) {
      const key = await options.authenticateAccessKey(presented);
      if (key === null) throw new UnauthorizedError('Unknown, disabled or expired access key');
      return { kind: 'access-key', key };
    }
    if (presented !== undefined) {
      if (adminToken !== undefined && (await timingSafeEqual(presented, adminToken, sha256Hex))) return { kind: 'management' };
      if (apiToken !== undefined && (await timingSafeEqual(presented, apiToken, sha256Hex))) return { kind: adminToken === undefined ? 'management' : 'client' };
    }
    return anonymous;
  }

  async function resolve(c: Context<AppEnv>, apiKeyHeader = false): Promise<Caller | null> {
    const known = c.get('caller');
    if (known !== undefined) return known;
    const caller = await identify(bearerToken(c) ?? (apiKeyHeader ? c.req.header('x-api-key') : undefined));
    c.set('caller', caller);
    return caller;
  }

  function refusal(c: Context<AppEnv>, caller: Caller | null, allowed: readonly CallerKind[]): Error {
    const presented = bearerToken(c) !== undefined;
    if (caller?.kind === 'access-key') return new ForbiddenError('Access keys may call only chat completions, messages, responses, embeddings, the model list, their own usage and their session');
    if (caller?.kind === 'client' && allowed.includes('management') && !allowed.includes('client')) {
      return new UnauthorizedError(presented ? 'Invalid admin token' : 'This route needs the admin bearer token');
    }
    if (apiToken === undefined && adminToken === undefined && !allowUnauthenticated) {
      return new UnauthorizedError('This server has no API_AUTH_TOKEN and does not allow unauthenticated access');
    }
    return new UnauthorizedError(presented ? 'Invalid bearer token' : 'Missing bearer token');
  }

  function guard(allowed: CallerKind[], apiKeyHeader = false): Guard {
    return async (c, next) => {
      const caller = await resolve(c, apiKeyHeader);
      if (caller === null || !allowed.includes(caller.kind)) throw refusal(c, caller, allowed);
      if (caller.kind === 'access-key') return options.accessKeyLimit(c, next);
      await next();
    };
  }

  return {
    management: guard(['management']),
    client: guard(['management', 'client']),
    clientOrAccessKey: guard(['management', 'client', 'access-key']),
    clientOrAccessKeyByApiKey: guard(['management', 'client', 'access-key'], true),
    managementOrAccessKey: guard(['management', 'access-key']),
    openMode: anonymous === null
      ? (_c, next) => next()
      : async (c, next) => {
          const refusal = openModeRefusal(c, options.openMode);
          if (refusal) throw refusal;
          await next();
        },
    resolve: (c) => resolve(c),
  };
}
