import type { oas31, ZodOpenApiSecuritySchemeObject } from 'zod-openapi';
import type { Guards } from '../auth/guards.ts';
import type { ErrorStatus } from './error-responses.ts';

// Who may call a route, as the API description says it: read from the guard the route declares
// (src/auth/guards.ts), never written a second time. All three are bearer tokens; they differ
// in who holds them.

export const securitySchemes: Record<string, ZodOpenApiSecuritySchemeObject> = {
  managementToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator\'s token: ADMIN_TOKEN when set, else API_AUTH_TOKEN. With neither set, a Node server bound to loopback (or one with ALLOW_UNAUTHENTICATED=true) needs no token; it then answers 403 FORBIDDEN to a Host other than localhost, 127.0.0.1, [::1] and ALLOWED_HOSTS, and to a write from a page that is neither its own nor in ALLOWED_ORIGINS.',
  },
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The shared API_AUTH_TOKEN. When ADMIN_TOKEN is set too, it no longer grants management routes.',
  },
  accessKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'gwk_…',
    description: 'A scoped access key made with POST /keys: chat completions, messages, responses, the model list and its own usage, within its providers, models, rate limit and budget.',
  },
  apiKeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'On /messages only: the gateway token or an access key in `x-api-key`, as the Anthropic SDKs and Claude Code send their key. Never forwarded.',
  },
};

export type GuardName = Exclude<keyof Guards, 'resolve' | 'openMode'>;

const schemesByGuard: Record<GuardName, (keyof typeof securitySchemes)[]> = {
  management: ['managementToken'],
  client: ['managementToken', 'apiToken'],
  clientOrAccessKey: ['managementToken', 'apiToken', 'accessKey'],
  clientOrAccessKeyByApiKey: ['managementToken', 'apiToken', 'accessKey', 'apiKeyHeader'],
  managementOrAccessKey: ['managementToken', 'accessKey'],
};

/** Any one of the schemes will do; none (`[]`) for a public route. */
export function securityFor(guard: GuardName | undefined): oas31.SecurityRequirementObject[] {
  return guard === undefined ? [] : schemesByGuard[guard].map((scheme) => ({ [scheme]: [] }));
}

/** 401 for any guard; 403 where an access key is refused outright or checked against its scope. */
export function guardErrors(guard: GuardName | undefined): ErrorStatus[] {
  if (guard === undefined) return [];
  return schemesByGuard[guard].includes('accessKey') ? [401] : [401, 403];
}

/** Each guard function of this app, by name, to recognise them among a route's handlers. */
export function guardNames(guards: Guards): Map<unknown, GuardName> {
  return new Map(Object.keys(schemesByGuard).map((name) => [guards[name as GuardName], name as GuardName]));
}
