import { Hono } from 'hono';
import packageJson from '../../package.json' with { type: 'json' };
import type { StorageBackend } from '../storage/storage-backend.ts';

// Never needs auth. "degraded" (503) when the storage backend cannot be reached: a load balancer
// then sends traffic to an instance that can serve it.

export function healthRoutes(dependencies: { storage: StorageBackend; now: () => number }) {
  const { storage, now } = dependencies;
  return new Hono().get('/health', async (c) => {
    const healthy = await storage.isHealthy();
    return c.json({ status: healthy ? 'ok' : 'degraded', timestamp: new Date(now()).toISOString(), version: packageJson.version }, healthy ? 200 : 503);
  });
}
