import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBehaviourTarget } from '#target';
import { ADMIN_TOKEN, CLIENT_TOKEN, jsonInit, type Target } from '../support/target.ts';

// The API description as a client meets it, on both runtimes: public, complete against the
// contract, and truthful about who may call what (each operation's security is tried against the
// gateway's real answers). Every answer here, as everywhere in the behaviour suite, is also held to
// the document by the target's fetch (test/support/api-description-check.ts).

/** CONTRACT.md's route tables (v1) and its v1.1 sections, under /api/v1. */
const CONTRACT_ROUTES = [
  'GET /health',
  'GET /providers',
  'POST /providers',
  'GET /providers/{id}',
  'PUT /providers/{id}',
  'DELETE /providers/{id}',
  'GET /providers/{id}/health',
  'POST /providers/{id}/test',
  'GET /providers/{id}/models',
  'POST /providers/{id}/models/refresh',
  'GET /models',
  'POST /chat/completions',
  'POST /providers/import',
  'POST /keys',
  'GET /keys',
  'GET /keys/{id}',
  'PUT /keys/{id}',
  'DELETE /keys/{id}',
  'GET /usage',
  'GET /routes',
  'POST /routes',
  'GET /routes/{id}',
  'PUT /routes/{id}',
  'DELETE /routes/{id}',
  'POST /messages',
  'POST /embeddings',
  'GET /openapi.json',
  'GET /docs',
];

interface Operation {
  security: Array<Record<string, string[]>>;
}

let target: Target;
let paths: Record<string, Record<string, Operation>>;
let securitySchemes: Record<string, unknown>;
beforeAll(async () => {
  target = await startBehaviourTarget();
  const response = await target.fetch('/openapi.json', { headers: { authorization: '' } });
  expect(response.status).toBe(200);
  const document = await response.json();
  expect(document.openapi).toBe('3.1.0');
  paths = document.paths;
  securitySchemes = document.components.securitySchemes;
});
afterAll(() => target.close());

const operations = () =>
  Object.entries(paths).flatMap(([path, methods]) =>
    // Paths outside /api/v1 (Node's /metrics) keep their full path.
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path: path.startsWith('/api/v1/') ? path.slice('/api/v1'.length) : path, fullPath: path, operation })),
  );

describe('GET /openapi.json', () => {
  it('describes every route of the contract', () => {
    const described = operations().map(({ method, path }) => `${method} ${path}`);
    expect(CONTRACT_ROUTES.filter((route) => !described.includes(route))).toEqual([]);
  });

  it('names only the schemes it defines: three bearer tokens, and x-api-key on the Messages routes', () => {
    expect(Object.keys(securitySchemes).sort()).toEqual(['accessKey', 'apiKeyHeader', 'apiToken', 'managementToken']);
    const used = new Set(operations().flatMap(({ operation }) => operation.security.flatMap((requirement) => Object.keys(requirement))));
    expect([...used].sort()).toEqual(['accessKey', 'apiKeyHeader', 'apiToken', 'managementToken']);
    const byApiKey = operations().filter(({ operation }) => operation.security.some((requirement) => 'apiKeyHeader' in requirement)).map(({ method, path }) => `${method} ${path}`);
    expect(byApiKey.sort()).toEqual(['POST /messages', 'POST /messages/count_tokens']);
  });

  it('says of each route which token it takes, as the gateway enforces it', async () => {
    const created = await target.fetch('/keys', jsonInit('POST', { name: `openapi-${crypto.randomUUID().slice(0, 8)}` }));
    expect(created.status).toBe(201);
    const accessKey = ((await created.json()) as { key: string }).key;
    const callers = { none: '', managementToken: ADMIN_TOKEN, apiToken: CLIENT_TOKEN, accessKey } as const;
    const refused = (status: number) => status === 401 || status === 403;

    const mismatches: string[] = [];
    for (const { method, path, fullPath, operation } of operations()) {
      const allowed = new Set(operation.security.flatMap((requirement) => Object.keys(requirement)));
      for (const [caller, token] of Object.entries(callers)) {
        // Past the guard, the route runs: an id no provider or key has keeps it from changing anything.
        const init = { method, headers: { authorization: token === '' ? '' : `Bearer ${token}` } };
        const response = fullPath === path
          ? await target.rawFetch(`${new URL(target.apiBase).origin}${path}`, init)
          : await target.fetch(path.replace(/\{\w+\}/g, 'no-such-id'), init);
        await response.body?.cancel();
        const mayCall = operation.security.length === 0 || allowed.has(caller);
        if (mayCall === refused(response.status)) mismatches.push(`${method} ${path} as ${caller}: ${response.status}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

const contentTypes: Record<string, RegExp> = { js: /^(text|application)\/javascript\b/, css: /^text\/css\b/, png: /^image\/png$/ };

describe('GET /docs', () => {
  it('answers a page, with no auth, that may load only what its own origin serves', async () => {
    const response = await target.fetch('/docs', { headers: { authorization: '' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    const policy = Object.fromEntries((response.headers.get('content-security-policy') ?? '').split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
    expect(policy).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
    const page = await response.text();
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1]!, `${target.apiBase}/docs`));
    expect(assets.map((url) => url.pathname).sort()).toEqual(['/docs/favicon-32x32.png', '/docs/start-swagger-ui.js', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']);
    for (const url of assets) {
      const asset = await target.fetchPublicFile(url.pathname);
      expect(asset.status, url.pathname).toBe(200);
      expect(asset.headers.get('content-type'), url.pathname).toMatch(contentTypes[url.pathname.split('.').pop()!]!);
      expect((await asset.arrayBuffer()).byteLength, url.pathname).toBeGreaterThan(500);
    }
  });
});
