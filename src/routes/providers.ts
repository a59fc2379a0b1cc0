import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { validateJson } from '../middleware/validation.ts';
import { createProviderSchema, toPublicProvider, updateProviderSchema } from '../providers/provider-schemas.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import { providerListSchema, providerSchema } from '../api/providers.ts';
import { describeRoute, jsonAnswer } from '../openapi/describe-route.ts';

// Provider CRUD. Every write answers with the stored object, so a client never needs to list
// right after a write (KV's list is eventually consistent).

const docs = {
  list: describeRoute({ operationId: 'listProviders', summary: 'List providers', tags: ['Providers'], responses: { 200: jsonAnswer('Every provider; never a key. Custom header values in full for the management token, else masked to at most their last 4 characters.', providerListSchema) } }),
  create: describeRoute({
    operationId: 'createProvider',
    summary: 'Add a provider',
    description: 'The key is stored encrypted and never returned. Names are unique (case-insensitive) and may not contain `/`.',
    tags: ['Providers'],
    responses: { 201: jsonAnswer('The stored provider.', providerSchema) },
    errors: [409],
  }),
  get: describeRoute({ operationId: 'getProvider', summary: 'Get a provider', tags: ['Providers'], responses: { 200: jsonAnswer('The provider.', providerSchema) } }),
  update: describeRoute({
    operationId: 'updateProvider',
    summary: 'Change a provider',
    description: 'A partial update; `apiKey`, when given, is re-encrypted.',
    tags: ['Providers'],
    responses: { 200: jsonAnswer('The stored provider.', providerSchema) },
    errors: [409],
  }),
  delete: describeRoute({ operationId: 'deleteProvider', summary: 'Delete a provider', tags: ['Providers'], responses: { 204: { description: 'Deleted.' } } }),
};

export function providerRoutes(dependencies: { providers: ProviderService; guards: Guards }) {
  const { providers, guards } = dependencies;
  return new Hono<AppEnv>()
    .get('/providers', guards.client, docs.list, async (c) => {
      const reveal = c.get('caller')?.kind === 'management';
      return c.json({ data: (await providers.list()).map((provider) => toPublicProvider(provider, reveal)) });
    })
    .post('/providers', guards.management, docs.create, jsonBody(), validateJson(createProviderSchema), async (c) => {
      const created = await providers.create(c.req.valid('json'));
      c.get('logFields').providerId = created.id;
      return c.json(toPublicProvider(created, true), 201);
    })
    .get('/providers/:id', guards.client, docs.get, async (c) => c.json(toPublicProvider(await providers.get(c.req.param('id')), c.get('caller')?.kind === 'management')))
    .put('/providers/:id', guards.management, docs.update, jsonBody(), validateJson(updateProviderSchema), async (c) => {
      const updated = await providers.update(c.req.param('id'), c.req.valid('json'));
      c.get('logFields').providerId = updated.id;
      return c.json(toPublicProvider(updated, true));
    })
    .delete('/providers/:id', guards.management, docs.delete, async (c) => {
      await providers.delete(c.req.param('id'));
      return c.body(null, 204);
    });
}
