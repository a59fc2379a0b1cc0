import { Hono } from 'hono';
import packageJson from '../../package.json' with { type: 'json' };
import { healthSchema } from '../api/health.ts';
import { describeRoute, jsonAnswer } from '../openapi/describe-route.ts';
import type { StorageBackend } from '../storage/storage-backend.ts';

// Never needs auth. "degraded" (503) when the storage backend cannot be reached: a load balancer
// then sends traffic to an instance that can serve it.

const describeHealth = describeRoute({
  operationId: 'getHealth',
  summary: 'Is the gateway up?',
  description: 'Never needs auth. 503 `degraded` when the storage backend cannot be reached.',
  tags: ['Health'],
  responses: { 200: jsonAnswer('Up.', healthSchema), 503: jsonAnswer('Up, but its storage cannot be reached.', healthSchema) },
});

export function healthRoutes(dependencies: { storage: StorageBackend; now: () => number }) {
  const { storage, now } = dependencies;
  return new Hono().get('/health', describeHealth, async (c) => {
    const healthy = await storage.isHealthy();
    return c.json({ status: healthy ? 'ok' : 'degraded', timestamp: new Date(now()).toISOString(), version: packageJson.version }, healthy ? 200 : 503);
  });
}
