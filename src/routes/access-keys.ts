import { Hono } from 'hono';
import { accessKeyListSchema, accessKeySchema, createAccessKeySchema, createdAccessKeySchema, updateAccessKeySchema } from '../api/access-keys.ts';
import type { AccessKeyService } from '../access-keys/access-key-service.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { validateJson } from '../middleware/validation.ts';
import { describeRoute, jsonAnswer } from '../openapi/describe-route.ts';

// Access key management: the operator's, so every route takes the management token.

const docs = {
  list: describeRoute({ operationId: 'listAccessKeys', summary: 'List access keys', tags: ['Access keys'], responses: { 200: jsonAnswer('Every access key; never a secret or its hash.', accessKeyListSchema) } }),
  create: describeRoute({
    operationId: 'createAccessKey',
    summary: 'Create an access key',
    description: 'The answer holds the secret (`key`, starting `gwk_`): it is shown here only, and stored as a SHA-256 hash.',
    tags: ['Access keys'],
    responses: { 201: jsonAnswer('The new key, with its secret.', createdAccessKeySchema) },
  }),
  get: describeRoute({ operationId: 'getAccessKey', summary: 'Get an access key', tags: ['Access keys'], responses: { 200: jsonAnswer('The key.', accessKeySchema) } }),
  update: describeRoute({
    operationId: 'updateAccessKey',
    summary: 'Change an access key',
    description: 'A partial update. Disabling takes effect at once on Node, within 60 s on Workers.',
    tags: ['Access keys'],
    responses: { 200: jsonAnswer('The stored key.', accessKeySchema) },
  }),
  delete: describeRoute({ operationId: 'deleteAccessKey', summary: 'Delete an access key', tags: ['Access keys'], responses: { 204: { description: 'Deleted.' } } }),
};

export function accessKeyRoutes(dependencies: { accessKeys: AccessKeyService; guards: Guards }) {
  const { accessKeys, guards } = dependencies;
  return new Hono<AppEnv>()
    .get('/keys', guards.management, docs.list, async (c) => c.json({ data: await accessKeys.list() }))
    .post('/keys', guards.management, docs.create, jsonBody(), validateJson(createAccessKeySchema), async (c) => {
      const { key, secret } = await accessKeys.create(c.req.valid('json'));
      c.get('logFields').accessKeyId = key.id;
      return c.json({ ...key, key: secret }, 201);
    })
    .get('/keys/:id', guards.management, docs.get, async (c) => c.json(await accessKeys.get(c.req.param('id'))))
    .put('/keys/:id', guards.management, docs.update, jsonBody(), validateJson(updateAccessKeySchema), async (c) => {
      const updated = await accessKeys.update(c.req.param('id'), c.req.valid('json'));
      c.get('logFields').accessKeyId = updated.id;
      return c.json(updated);
    })
    .delete('/keys/:id', guards.management, docs.delete, async (c) => {
      await accessKeys.delete(c.req.param('id'));
      return c.body(null, 204);
    });
}
