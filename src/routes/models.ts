import { Hono } from 'hono';
import { mayUseModel, mayUseProvider } from '../access-keys/access-key-scope.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import type { RequestIo } from '../http/request-io.ts';
import type { Logger } from '../logging/logger.ts';
import type { OutboundLimit } from '../middleware/outbound-limit.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';

// Model discovery, per provider (cached with a TTL) and across all providers in OpenAI's list
// format, so OpenAI-compatible clients (Open WebUI, LibreChat, Continue) find every model. An
// access key sees only the models its scope allows.

export interface ModelRouteDependencies {
  providers: ProviderService;
  gateway: UpstreamGateway;
  guards: Guards;
  outbound: OutboundLimit;
  io: RequestIo;
  logger: Logger;
}

export function modelRoutes(dependencies: ModelRouteDependencies) {
  const { providers, gateway, guards, outbound, io, logger } = dependencies;
  return new Hono<AppEnv>()
    .get('/providers/:id/models', guards.client, async (c) => {
      const provider = await providers.get(c.req.param('id'));
      const cached = await gateway.cachedModels(provider);
      const models = cached ? { ...cached, cached: true } : { ...(await outbound(c, () => gateway.fetchModels(provider, io.clientSignal(c)))), cached: false };
      return c.json({ data: models.data, cached: models.cached, fetchedAt: models.fetchedAt });
    })
    .post('/providers/:id/models/refresh', guards.management, async (c) => {
      const provider = await providers.get(c.req.param('id'));
      const models = await outbound(c, () => gateway.fetchModels(provider, io.clientSignal(c)));
      return c.json({ data: models.data, cached: false, fetchedAt: models.fetchedAt });
    })
    .get('/models', guards.clientOrAccessKey, async (c) => {
      const caller = c.get('caller');
      const key = caller?.kind === 'access-key' ? caller.key : undefined;
      const visible = (await providers.list()).filter((provider) => key === undefined || mayUseProvider(key, provider.id));
      const lists = await Promise.all(
        visible.map(async (provider) => {
          try {
            const models = (await gateway.cachedModels(provider)) ?? (await gateway.fetchModels(provider, io.clientSignal(c)));
            return models.data
              .filter((model) => key === undefined || mayUseModel(key, provider.name, model.id))
              .map((model) => ({
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
