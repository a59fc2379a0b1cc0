import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createGuards } from '../auth/guards.ts';
import { validateJson } from '../middleware/validation.ts';
import { buildOpenApiDocument } from './build-openapi-document.ts';
import { describeRoute, jsonAnswer } from './describe-route.ts';
import { guardNames } from './security-schemes.ts';

const guards = createGuards({
  apiToken: 'client-token-0123456789',
  adminToken: 'admin-token-0123456789',
  allowUnauthenticated: false,
  authenticateAccessKey: async () => null,
  accessKeyLimit: (_c, next) => next(),
  openMode: { allowedHosts: [], allowedOrigins: [] },
});

const thing = z.object({ id: z.string() });
const describeThing = (operationId: string) => describeRoute({ operationId, summary: operationId, tags: ['Things'], responses: { 200: jsonAnswer('A thing.', thing) } });

function build(app: Hono) {
  return buildOpenApiDocument({ routes: app.routes, guards: guardNames(guards), version: '0.0.0', apiBasePath: '/api/v1' });
}

describe('buildOpenApiDocument', () => {
  it('names every route registered without a description, and leaves it out', () => {
    const app = new Hono()
      .get('/api/v1/things', describeThing('listThings'), (c) => c.json({}))
      .post('/api/v1/things', (c) => c.json({}))
      .use('/api/v1/*', (_c, next) => next());
    const { document, undescribed } = build(app);
    expect(undescribed).toEqual(['POST /api/v1/things']);
    expect(Object.keys(document.paths!['/api/v1/things']!)).toEqual(['get']);
  });

  it('takes the security and the 401/403 answers from the guard the route declares', () => {
    const app = new Hono()
      .get('/api/v1/open', describeThing('open'), (c) => c.json({}))
      .get('/api/v1/managed', guards.management as never, describeThing('managed'), (c) => c.json({}))
      .get('/api/v1/chatty', guards.clientOrAccessKey as never, describeThing('chatty'), (c) => c.json({}));
    const { paths } = build(app).document;
    expect(paths!['/api/v1/open']!.get!.security).toEqual([]);
    expect(Object.keys(paths!['/api/v1/open']!.get!.responses!)).toEqual(['200', '429', '500']);
    expect(paths!['/api/v1/managed']!.get!.security).toEqual([{ managementToken: [] }]);
    expect(Object.keys(paths!['/api/v1/managed']!.get!.responses!)).toEqual(['200', '401', '403', '429', '500', '503']);
    expect(paths!['/api/v1/chatty']!.get!.security).toEqual([{ managementToken: [] }, { apiToken: [] }, { accessKey: [] }]);
    expect(Object.keys(paths!['/api/v1/chatty']!.get!.responses!)).toEqual(['200', '401', '429', '500', '503']);
  });

  it('documents the body the route\'s validator checks, and its path parameters', () => {
    const body = z.strictObject({ colour: z.enum(['red', 'blue']) });
    const app = new Hono().put('/api/v1/things/:thingId', describeThing('updateThing'), validateJson(body), (c) => c.json({}));
    const operation = build(app).document.paths!['/api/v1/things/{thingId}']!.put!;
    expect(operation.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { type: 'object', properties: { colour: { type: 'string', enum: ['red', 'blue'] } }, required: ['colour'], additionalProperties: false } } },
    });
    expect(operation.parameters).toEqual([{ in: 'path', name: 'thingId', required: true, schema: { type: 'string' } }]);
    expect(Object.keys(operation.responses!)).toEqual(['200', '400', '404', '413', '429', '500']);
  });
});
