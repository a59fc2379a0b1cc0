import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { behaviourEnvironment } from '../support/target.ts';

/** What every console file is sent with, as the audit asked (the API reference page already did). */
const CONSOLE_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; connect-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const securityHeadersOf = (response: Response) => Object.fromEntries(Object.keys(CONSOLE_SECURITY_HEADERS).map((name) => [name, response.headers.get(name)]));

// GET / on Node: the console's files from the public folder, through @hono/node-server's
// serve-static, and nothing else: an unknown file is the API's 404, a path that leaves the folder
// finds nothing, and a file placed under api/ in the folder can never answer for the API.

let folder: string;
let node: Awaited<ReturnType<typeof createNodeApp>>;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gateway-console-serving-'));
  const publicFolder = join(folder, 'public');
  await mkdir(join(publicFolder, 'api', 'v1'), { recursive: true });
  await writeFile(join(publicFolder, 'index.html'), '<!DOCTYPE html><title>console</title>');
  await writeFile(join(publicFolder, 'console.js'), 'export {};');
  await writeFile(join(publicFolder, '_headers'), '/*\n  X-Example: for Cloudflare only\n');
  await writeFile(join(publicFolder, 'api', 'v1', 'health'), 'shadowed');
  await writeFile(join(folder, 'secret.txt'), 'outside the public folder');
  node = await createNodeApp({ environment: { ...behaviourEnvironment, PROVIDERS_FILE: join(folder, 'providers.json'), LOG_LEVEL: 'silent' }, publicFolder });
});
afterAll(async () => {
  await node?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('the console on Node', () => {
  it('serves the page at / and its files beside it, each to be revalidated', async () => {
    const page = await node.app.request('/');
    expect([page.status, page.headers.get('content-type'), page.headers.get('cache-control')]).toEqual([200, 'text/html; charset=utf-8', 'no-cache']);
    expect(await page.text()).toBe('<!DOCTYPE html><title>console</title>');
    const script = await node.app.request('/console.js');
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await script.text()).toBe('export {};');
    const head = await node.app.request('/', { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, '37']);
  });

  it('sends the console\'s Content-Security-Policy (no inline script, no framing), nosniff and no-referrer with every file', async () => {
    for (const path of ['/', '/index.html', '/console.js']) {
      const response = await node.app.request(path);
      expect(response.status, path).toBe(200);
      expect(securityHeadersOf(response), path).toEqual(CONSOLE_SECURITY_HEADERS);
    }
  });

  it('answers an unknown file, or one outside the folder, with the API\'s 404', async () => {
    for (const path of ['/_headers', '/no-such-file.js', '/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const response = await node.app.request(path);
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe('NOT_FOUND');
    }
  });

  it('never answers for the API from a file, whatever the folder holds', async () => {
    const health = await node.app.request('/api/v1/health');
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe('ok');
    const unknown = await node.app.request('/api/v1/no-such-route', { headers: { authorization: `Bearer ${behaviourEnvironment.API_AUTH_TOKEN}` } });
    expect([unknown.status, (await unknown.json()).error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await node.app.request('/api')).status).toBe(404);
  });
});
