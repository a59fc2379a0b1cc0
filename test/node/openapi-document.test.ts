import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { ADMIN_TOKEN, behaviourEnvironment, CLIENT_TOKEN, ENCRYPTION_KEY } from '../support/target.ts';

// The served document against the OpenAPI 3.1 schema, and against the routes the app really
// registers: a route added without describeRoute fails here.

let node: Awaited<ReturnType<typeof createNodeApp>>;
let folder: string;
let text: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gateway-openapi-'));
  node = await createNodeApp({ environment: { ...behaviourEnvironment, PROVIDERS_FILE: join(folder, 'providers.json') }, logWrite: () => {} });
  const response = await node.app.request('/api/v1/openapi.json');
  expect(response.status).toBe(200);
  text = await response.text();
});
afterAll(async () => {
  await node?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('GET /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(text));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route the app registers, with its method', () => {
    const { paths } = JSON.parse(text) as { paths: Record<string, Record<string, unknown>> };
    // Middleware (ALL) and the static files' wildcard (GET /*) are not operations.
    const registered = [...new Set(node.app.routes.filter((route) => route.method !== 'ALL' && !route.path.includes('*')).map((route) => `${route.method} ${route.path}`))];
    expect(registered.length).toBeGreaterThanOrEqual(22);
    const missing = registered.filter((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()] === undefined;
    });
    expect(missing).toEqual([]);
  });

  it('holds none of the configured secrets', () => {
    for (const secret of [CLIENT_TOKEN, ADMIN_TOKEN, ENCRYPTION_KEY]) expect(text).not.toContain(secret);
  });
});
