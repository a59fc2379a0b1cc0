import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { validateJson } from '../middleware/validation.ts';
import { createProviderSchema, toPublicProvider, updateProviderSchema } from '../providers/provider-schemas.ts';
import type { ProviderService } from '../providers/provider-service.ts';

// Provider CRUD. Every write answers with the stored object, so a client never needs to list
// right after a write (KV's list is eventually consistent).

export function providerRoutes(providers: ProviderService) {
  return new Hono<AppEnv>()
    .get('/providers', async (c) => c.json({ data: (await providers.list()).map(toPublicProvider) }))
    .post('/providers', jsonBody(), validateJson(createProviderSchema), async (c) => {
      const created = await providers.create(c.req.valid('json'));
      c.set('logFields', { providerId: created.id });
      return c.json(toPublicProvider(created), 201);
    })
    .get('/providers/:id', async (c) => c.json(toPublicProvider(await providers.get(c.req.param('id')))))
    .put('/providers/:id', jsonBody(), validateJson(updateProviderSchema), async (c) => {
      const updated = await providers.update(c.req.param('id'), c.req.valid('json'));
      c.set('logFields', { providerId: updated.id });
      return c.json(toPublicProvider(updated));
    })
    .delete('/providers/:id', async (c) => {
      await providers.delete(c.req.param('id'));
      return c.body(null, 204);
    });
}
