import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openJsonFileBackend } from '../../src/adapter/node/json-file-backend.ts';
import { openRedisBackend } from '../../src/adapter/node/redis/redis-backend.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';
import { describeStorageBackendContract } from '../support/storage-backend-contract.ts';

// The storage contract on both Node backends: the JSON files in a fresh data folder, and Redis
// (a real redis-server of this file's own) under a fresh key prefix per test.

const logger = createLogger({ level: 'silent', write: () => undefined });
const folders: string[] = [];
let redis: TestRedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describeStorageBackendContract('JSON-file backend', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'gateway-contract-'));
  folders.push(folder);
  return openJsonFileBackend({ providersFile: join(folder, 'providers.json'), logger, responseCacheMaxBytes: 1024 * 1024 });
});

describeStorageBackendContract('Redis backend', () => openRedisBackend({ url: redis.url, keyPrefix: `contract-${crypto.randomUUID()}:`, logger }));
