import { Hono } from 'hono';
import packageJson from '../../package.json' with { type: 'json' };

export function healthRoutes(now: () => number) {
  return new Hono().get('/health', (c) =>
    c.json({ status: 'ok', timestamp: new Date(now()).toISOString(), version: packageJson.version }),
  );
}
