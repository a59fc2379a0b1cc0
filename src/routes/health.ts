import { Hono } from 'hono';
// A named import (no `with { type: 'json' }`, which allows only the default one), so that a bundle
// holds the version string and not the whole package.json: 1 KiB gzipped in the Worker.
import { version } from '../../package.json';
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
    return c.json({ status: healthy ? 'ok' : 'degraded', timestamp: new Date(now()).toISOString(), version }, healthy ? 200 : 503);
  });
}
