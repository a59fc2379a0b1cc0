import { Hono } from 'hono';
import * as z from 'zod';
import { mayUseModel, mayUseProvider, mayUseRoute } from '../access-keys/access-key-scope.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import type { RequestIo } from '../http/request-io.ts';
import type { Logger } from '../logging/logger.ts';
import type { OutboundLimit } from '../middleware/outbound-limit.ts';
import type { ModelRouteService } from '../model-routes/model-route-service.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';
import { modelListSchema } from '../api/models.ts';
import { providerModelsSchema } from '../api/providers.ts';
import { gatewayHeaderDescriptions, gatewayHeaders } from '../api/gateway-headers.ts';
import { encodeHeaderList } from '../http/encode-header-list.ts';
import { describeRoute, jsonAnswer } from '../openapi/describe-route.ts';

// Model discovery, per provider (cached with a TTL) and across all providers in OpenAI's list
// format, so OpenAI-compatible clients (Open WebUI, LibreChat, Continue) find every model. An
// access key sees only the models its scope allows.

export interface ModelRouteDependencies {
  providers: ProviderService;
  routes: ModelRouteService;
  gateway: UpstreamGateway;
  guards: Guards;
  outbound: OutboundLimit;
  io: RequestIo;
  logger: Logger;
}

const docs = {
  providerModels: describeRoute({
    operationId: 'listProviderModels',
    summary: 'A provider\'s models',
    description: 'From the provider\'s own model list, cached for MODELS_CACHE_TTL_MS; never a list fetched before the provider\'s last change.',
    tags: ['Models'],
    responses: { 200: jsonAnswer('The models, and whether they came from the cache.', providerModelsSchema) },
    errors: [400, 413, 422, 502, 504],
  }),
  refresh: describeRoute({
    operationId: 'refreshProviderModels',
    summary: 'Refetch a provider\'s models',
    description: 'Bypasses and refills the cache (`cached: false`); counts against OUTBOUND_RATE_LIMIT_MAX_REQUESTS.',
    tags: ['Models'],
    responses: { 200: jsonAnswer('The models, fetched now.', providerModelsSchema) },
    errors: [400, 413, 422, 502, 504],
  }),
  all: describeRoute({
    operationId: 'listModels',
    summary: 'Every provider\'s models, for OpenAI-compatible clients',
    description:
      'Ids are `<provider name>/<model>`, ready for `model` in chat, then each route as `<route name>` (`owned_by: "route"`). An access key sees only the models and routes its scope allows. A provider whose list cannot be fetched is left out and named in `X-Gateway-Model-Errors`; the others are listed.',
    tags: ['Models'],
    responses: {
      200: {
        ...jsonAnswer('OpenAI\'s model list format.', modelListSchema),
        headers: z.object({ [gatewayHeaders.modelErrors]: z.string().optional().meta({ description: gatewayHeaderDescriptions.modelErrors }) }),
      },
    },
  }),
};

export function modelRoutes(dependencies: ModelRouteDependencies) {
  const { providers, routes, gateway, guards, outbound, io, logger } = dependencies;
  return new Hono<AppEnv>()
    .get('/providers/:id/models', guards.client, docs.providerModels, async (c) => {
      const provider = await providers.get(c.req.param('id'));
      const cached = await gateway.cachedModels(provider);
      const models = cached ? { ...cached, cached: true } : { ...(await outbound(c, () => gateway.fetchModels(provider, io.clientSignal(c)))), cached: false };
      return c.json({ data: models.data, cached: models.cached, fetchedAt: models.fetchedAt });
    })
    .post('/providers/:id/models/refresh', guards.management, docs.refresh, async (c) => {
      const provider = await providers.get(c.req.param('id'));
      const models = await outbound(c, () => gateway.fetchModels(provider, io.clientSignal(c)));
      return c.json({ data: models.data, cached: false, fetchedAt: models.fetchedAt });
    })
    .get('/models', guards.clientOrAccessKey, docs.all, async (c) => {
      const caller = c.get('caller');
      const key = caller?.kind === 'access-key' ? caller.key : undefined;
      const visible = (await providers.list()).filter((provider) => key === undefined || mayUseProvider(key, provider.id));
      const failed: string[] = [];
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
            failed.push(provider.name);
            return [];
          }
        }),
      );
      // In the providers' order, whichever answered first.
      const failedNames = visible.map((provider) => provider.name).filter((name) => failed.includes(name));
      if (failedNames.length > 0) c.header(gatewayHeaders.modelErrors, encodeHeaderList(failedNames));
      // A route is listed to a key whose patterns take its name and that may reach one of its targets' providers.
      const reachable = (model: string) => {
        const named = model.slice(0, model.indexOf('/'));
        return visible.some((provider) => provider.id === named || provider.name.toLowerCase() === named.toLowerCase());
      };
      const routeModels = (await routes.list())
        .filter((route) => key === undefined || (mayUseRoute(key, route.name) && route.targets.some((target) => reachable(target.model))))
        .map((route) => ({ id: route.name, object: 'model' as const, created: Math.floor(Date.parse(route.createdAt) / 1000), owned_by: 'route' }));
      return c.json({ object: 'list', data: [...lists.flat(), ...routeModels] });
    });
}
