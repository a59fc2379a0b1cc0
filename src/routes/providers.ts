import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { validateJson } from '../middleware/validation.ts';
import { createProviderSchema, toPublicProvider, updateProviderSchema } from '../providers/provider-schemas.ts';
import type { ProviderService } from '../providers/provider-service.ts';

// Provider CRUD. Every write answers with the stored object, so a client never needs to list
// right after a write (KV's list is eventually consistent).

export function providerRoutes(dependencies: { providers: ProviderService; guards: Guards }) {
  const { providers, guards } = dependencies;
  return new Hono<AppEnv>()
    .get('/providers', guards.client, async (c) => c.json({ data: (await providers.list()).map(toPublicProvider) }))
    .post('/providers', guards.management, jsonBody(), validateJson(createProviderSchema), async (c) => {
      const created = await providers.create(c.req.valid('json'));
      c.get('logFields').providerId = created.id;
      return c.json(toPublicProvider(created), 201);
    })
    .get('/providers/:id', guards.client, async (c) => c.json(toPublicProvider(await providers.get(c.req.param('id')))))
    .put('/providers/:id', guards.management, jsonBody(), validateJson(updateProviderSchema), async (c) => {
      const updated = await providers.update(c.req.param('id'), c.req.valid('json'));
      c.get('logFields').providerId = updated.id;
      return c.json(toPublicProvider(updated));
    })
    .delete('/providers/:id', guards.management, async (c) => {
      await providers.delete(c.req.param('id'));
      return c.body(null, 204);
    });
}
