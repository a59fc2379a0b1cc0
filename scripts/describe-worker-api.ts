import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_DESCRIPTION_FILE } from '../src/adapter/cloudflare-workers/read-api-description.ts';
import { openJsonFileBackend } from '../src/adapter/node/json-file-backend.ts';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config/config-schema.ts';
import { createKeyCipher, generateSalt } from '../src/crypto/key-cipher.ts';
import { createLogger } from '../src/logging/logger.ts';
import { openApiJson } from '../src/openapi/openapi-json.ts';
import { createFetchUpstreamClient } from '../src/upstream/fetch-upstream-client.ts';

// The OpenAPI document the Worker answers GET /api/v1/openapi.json with, made by `npm run build`
// (scripts/build.mjs writes it to dist/public, where the Worker's assets binding reads it), so the
// builder and zod-openapi stay out of the Worker's bundle. The Worker's app is createApp with no
// extraRoutes (Node's add /metrics and the console's files); what stores its data changes none of
// its routes, so it is built here over Node's default storage in a throwaway folder and asked for
// its document the way a client asks the Worker. test/workers/api-description-file.test.ts checks
// the file against the document the Worker's own app describes inside workerd.

export { API_DESCRIPTION_FILE };

export async function describeWorkerApi(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gateway-describe-'));
  const config = parseConfig({});
  const logger = createLogger({ level: 'silent', write: () => undefined });
  const storage = await openJsonFileBackend({ providersFile: join(folder, 'providers.json'), logger, responseCacheMaxBytes: config.RESPONSE_CACHE_MAX_BYTES });
  try {
    const app = createApp({
      config,
      storage,
      cipher: await createKeyCipher(crypto.randomUUID(), generateSalt()),
      upstream: createFetchUpstreamClient(),
      logger,
      peerAddress: () => '127.0.0.1',
      apiDescription: openApiJson,
    });
    const response = await app.request(`http://localhost${API_DESCRIPTION_FILE}`);
    if (response.status !== 200) throw new Error(`GET ${API_DESCRIPTION_FILE} answered ${response.status}: ${await response.text()}`);
    return await response.text();
  } finally {
    await storage.close();
    await rm(folder, { recursive: true, force: true });
  }
}
