import { Hono } from 'hono';
import { createRouteSchema, routeListSchema, routeSchema, updateRouteSchema } from '../api/model-routes.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { validateJson } from '../middleware/validation.ts';
import type { ModelRouteService } from '../model-routes/model-route-service.ts';
import { describeRoute, jsonAnswer } from '../openapi/describe-route.ts';

// /routes: one model name for several `<provider>/<model>` targets (contract v1.2). Management
// routes: a route decides where every client's requests go.

const docs = {
  list: describeRoute({ operationId: 'listRoutes', summary: 'List routes', tags: ['Routes'], responses: { 200: jsonAnswer('Every route.', routeListSchema) } }),
  create: describeRoute({
    operationId: 'createRoute',
    summary: 'Create a route',
    description: 'A name (no `/`, unique in any case) clients send as `model`, served by 1 to 20 `<provider>/<model>` targets picked by `strategy` (`weighted` by default, `least-busy`, `lowest-latency`).',
    tags: ['Routes'],
    responses: { 201: jsonAnswer('The stored route.', routeSchema) },
    errors: [409],
  }),
  get: describeRoute({ operationId: 'getRoute', summary: 'Get a route', tags: ['Routes'], responses: { 200: jsonAnswer('The route.', routeSchema) } }),
  update: describeRoute({
    operationId: 'updateRoute',
    summary: 'Change a route',
    description: 'A partial update: `name`, `targets` (the whole list) and `strategy`.',
    tags: ['Routes'],
    responses: { 200: jsonAnswer('The stored route.', routeSchema) },
    errors: [409],
  }),
  delete: describeRoute({ operationId: 'deleteRoute', summary: 'Delete a route', tags: ['Routes'], responses: { 204: { description: 'Deleted.' } } }),
};

export function modelRouteRoutes(dependencies: { routes: ModelRouteService; guards: Guards }) {
  const { routes, guards } = dependencies;
  return new Hono<AppEnv>()
    .get('/routes', guards.management, docs.list, async (c) => c.json({ data: await routes.list() }))
    .post('/routes', guards.management, docs.create, jsonBody(), validateJson(createRouteSchema), async (c) => c.json(await routes.create(c.req.valid('json')), 201))
    .get('/routes/:id', guards.management, docs.get, async (c) => c.json(await routes.get(c.req.param('id'))))
    .put('/routes/:id', guards.management, docs.update, jsonBody(), validateJson(updateRouteSchema), async (c) => c.json(await routes.update(c.req.param('id'), c.req.valid('json'))))
    .delete('/routes/:id', guards.management, docs.delete, async (c) => {
      await routes.delete(c.req.param('id'));
      return c.body(null, 204);
    });
}
