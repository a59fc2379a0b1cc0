import { Hono } from 'hono';
import * as z from 'zod';
import { describeRoute } from '../openapi/describe-route.ts';
import { docsPage, DOCS_PAGE_POLICY } from '../openapi/docs-page.ts';

// The API description, public like /health: the OpenAPI document (built on Node, read from the
// build's file on Workers: app.ts's apiDescription), asked for on the first request and kept for
// the life of the process or isolate (the routes cannot change after start-up), and a reference
// page that renders it from files the gateway serves itself.

export function apiDescriptionRoutes(dependencies: { document: () => string | Promise<string> }) {
  let document: string | undefined;
  return new Hono()
    .get(
      '/openapi.json',
      describeRoute({
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        tags: ['API description'],
        responses: { 200: { description: 'The OpenAPI 3.1 document of this gateway.', content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } } } },
      }),
      async (c) => {
        document ??= await dependencies.document();
        return c.body(document, 200, { 'Content-Type': 'application/json; charset=utf-8' });
      },
    )
    .get(
      '/docs',
      describeRoute({
        operationId: 'getApiReference',
        summary: 'A readable API reference',
        description: 'An HTML page that renders this document (Swagger UI, served by the gateway itself from /docs/: no other origin is contacted).',
        tags: ['API description'],
        responses: { 200: { description: 'The reference page.', content: { 'text/html': { schema: z.string() } } } },
      }),
      (c) => c.html(docsPage, 200, { 'Content-Security-Policy': DOCS_PAGE_POLICY }),
    );
}
