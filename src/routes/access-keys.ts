import { Hono } from 'hono';
import { createAccessKeySchema, updateAccessKeySchema } from '../api/access-keys.ts';
import type { AccessKeyService } from '../access-keys/access-key-service.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { validateJson } from '../middleware/validation.ts';

// Access key management: the operator's, so every route takes the management token.

export function accessKeyRoutes(dependencies: { accessKeys: AccessKeyService; guards: Guards }) {
  const { accessKeys, guards } = dependencies;
  return new Hono<AppEnv>()
    .get('/keys', guards.management, async (c) => c.json({ data: await accessKeys.list() }))
    .post('/keys', guards.management, jsonBody(), validateJson(createAccessKeySchema), async (c) => {
      const { key, secret } = await accessKeys.create(c.req.valid('json'));
      c.get('logFields').accessKeyId = key.id;
      return c.json({ ...key, key: secret }, 201);
    })
    .get('/keys/:id', guards.management, async (c) => c.json(await accessKeys.get(c.req.param('id'))))
    .put('/keys/:id', guards.management, jsonBody(), validateJson(updateAccessKeySchema), async (c) => {
      const updated = await accessKeys.update(c.req.param('id'), c.req.valid('json'));
      c.get('logFields').accessKeyId = updated.id;
      return c.json(updated);
    })
    .delete('/keys/:id', guards.management, async (c) => {
      await accessKeys.delete(c.req.param('id'));
      return c.body(null, 204);
    });
}
