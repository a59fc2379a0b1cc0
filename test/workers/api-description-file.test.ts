import { env, SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';
import { createWorkerApp } from '../../src/adapter/cloudflare-workers/create-worker-app.ts';
import type { StaticAssets } from '../../src/adapter/cloudflare-workers/worker-bindings.ts';
import { openApiJson } from '../../src/openapi/openapi-json.ts';
import { CLIENT_TOKEN } from '../support/target.ts';

// The Worker answers GET /api/v1/openapi.json with the file `npm run build` wrote among its static
// assets (scripts/describe-worker-api.ts), not with a document it builds: these check that file
// against the one the Worker's own app describes here, inside workerd, with Node's builder.

const documentUrl = 'http://gateway.test/api/v1/openapi.json';

it('serves, from its assets, exactly the document its own routes describe (else: npm run build)', async () => {
  const { app } = await createWorkerApp(env, { apiDescription: openApiJson, logWrite: () => undefined });
  const built = await app.request(documentUrl, {}, env);
  expect(built.status).toBe(200);
  const served = await SELF.fetch(documentUrl);
  expect([served.status, served.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8']);
  // Compared as text, byte for byte; parsed first, so that a stale file shows as a readable diff.
  const [servedText, builtText] = [await served.text(), await built.text()];
  expect(JSON.parse(servedText)).toEqual(JSON.parse(builtText));
  expect(servedText).toBe(builtText);
});

it('answers 500 INTERNAL_ERROR, and logs why, when the assets have no document (deployed without npm run build)', async () => {
  const lines: string[] = [];
  // The real assets, asked for a file the build never writes in place of the document.
  const withoutDocument: StaticAssets = { fetch: (input) => env.ASSETS.fetch(input.replace('/openapi.json', '/no-such-document.json')) };
  const { app } = await createWorkerApp({ ...env, ASSETS: withoutDocument }, { logWrite: (line) => lines.push(line) });
  const response = await app.request(documentUrl, { headers: { authorization: `Bearer ${CLIENT_TOKEN}` } }, env);
  expect(response.status).toBe(500);
  expect(await response.json()).toEqual({ error: { code: 'INTERNAL_ERROR', message: expect.any(String) } });
  expect(lines.map((line) => JSON.parse(line)).filter((line) => line.message === 'unhandled error')).toEqual([
    expect.objectContaining({ level: 'error', error: 'ApiDescriptionMissingError' }),
  ]);
});
