import { Hono } from 'hono';
import type { AccessKeyService } from '../access-keys/access-key-service.ts';
import { sessionSchema, type Session } from '../api/session.ts';
import type { AppEnv } from '../app-env.ts';
import type { Caller } from '../auth/caller.ts';
import type { Guards } from '../auth/guards.ts';
import { describeRoute, jsonAnswer } from '../openapi/describe-route.ts';
import type { ProviderService } from '../providers/provider-service.ts';

// GET /session: any valid credential learns what it is and what it may use, so a UI can hide what
// that caller cannot do instead of letting it fail.

const describeSession = describeRoute({
  operationId: 'getSession',
  summary: 'Who is calling, and what it may do',
  description:
    'Any valid credential. An access key also gets its scopes (providers with their names; `null`: all), its rate limit, its budget with what it has spent in the current period, and its expiry.',
  tags: ['Session'],
  responses: { 200: jsonAnswer('The caller\'s role, and an access key\'s scopes and budget.', sessionSchema) },
});

export function sessionRoutes(dependencies: { accessKeys: AccessKeyService; providers: ProviderService; guards: Guards }) {
  const { accessKeys, providers, guards } = dependencies;

  async function describeCaller(caller: Caller): Promise<Session> {
    switch (caller.kind) {
      case 'management':
        return { role: 'admin' };
      case 'client':
        return { role: 'client' };
      case 'access-key': {
        const { key } = caller;
        // In the key's order; a provider deleted since the key was made is no longer in its reach.
        const known = key.providers === null ? new Map() : new Map((await providers.list()).map((provider) => [provider.id, provider.name]));
        const scopeProviders = key.providers?.flatMap((id) => (known.has(id) ? [{ id, name: known.get(id) as string }] : [])) ?? null;
        return {
          role: 'access-key',
          keyId: key.id,
          keyName: key.name,
          scopes: { providers: scopeProviders, models: key.models },
          rateLimit: key.rateLimit,
          budget: key.budget === null ? null : { ...key.budget, spent: await accessKeys.spentOf(key) },
          expiresAt: key.expiresAt,
        };
      }
      default: {
        const never: never = caller;
        throw new Error(`unknown caller ${String(never)}`);
      }
    }
  }

  return new Hono<AppEnv>().get('/session', guards.clientOrAccessKey, describeSession, async (c) => {
    // The guard let the request through, so a caller was recognised.
    return c.json(await describeCaller(c.get('caller')!));
  });
}
