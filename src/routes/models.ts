import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { RequestIo } from '../http/request-io.ts';
import type { Logger } from '../logging/logger.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';

// Model discovery, per provider (cached with a TTL) and across all providers in OpenAI's list
// format, so OpenAI-compatible clients (Open WebUI, LibreChat, Continue) find every model.

export function modelRoutes(dependencies: { providers: ProviderService; gateway: UpstreamGateway; io: RequestIo; logger: Logger }) {
  const { providers, gateway, io, logger } = dependencies;
  return new Hono<AppEnv>()
    .get('/providers/:id/models', async (c) => {
      const provider = await providers.get(c.req.param('id'));
      const models = await gateway.models(provider, false, io.clientSignal(c));
      return c.json({ data: models.data, cached: models.cached, fetchedAt: models.fetchedAt });
    })
    .post('/providers/:id/models/refresh', async (c) => {
      const provider = await providers.get(c.req.param('id'));
      const models = await gateway.models(provider, true, io.clientSignal(c));
      return c.json({ data: models.data, cached: false, fetchedAt: models.fetchedAt });
    })
    .get('/models', async (c) => {
      const all = await providers.list();
      const lists = await Promise.all(
        all.map(async (provider) => {
          try {
            const models = await gateway.models(provider, false, io.clientSignal(c));
            return models.data.map((model) => ({
              id: `${provider.name}/${model.id}`,
              object: 'model' as const,
              created: typeof model.created === 'number' ? model.created : 0,
              owned_by: provider.name,
            }));
          } catch (error) {
            // One unreachable provider must not hide every other provider's models.
            logger.warn('model list failed', { requestId: c.get('requestId'), providerId: provider.id, error: error instanceof Error ? error.message : 'unknown' });
            return [];
          }
        }),
      );
      return c.json({ object: 'list', data: lists.flat() });
    });
}
