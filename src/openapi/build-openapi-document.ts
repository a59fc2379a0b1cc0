import type { RouterRoute } from 'hono/types';
import { findTargetHandler } from 'hono/utils/handler';
import * as z from 'zod';
import { createDocument, type oas31, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import { eventSchemas, nameComponentSchemas } from './component-schemas.ts';
import { requestSchemaOf, routeDescriptionOf, type RouteDescription, type RouteRequest } from './describe-route.ts';
import { dialectErrorResponse, errorResponse, type ErrorStatus } from './error-responses.ts';
import { withCommonHeaders } from './response-headers.ts';
import { registerSchemaExamples } from './schema-examples.ts';
import { guardErrors, securityFor, securitySchemes, type GuardName } from './security-schemes.ts';

// The OpenAPI 3.1 document of an app, built from what its routes declare: the description next
// to each route, the schema its validator checks with, the guard it runs. zod-openapi turns the
// zod schemas into JSON Schema (zod's own toJSONSchema) and the document around them.

export interface DocumentSource {
  routes: readonly RouterRoute[];
  guards: Map<unknown, GuardName>;
  version: string;
  /** Paths under this prefix pass the rate limiter, so their answers carry RateLimit headers. */
  apiBasePath: string;
  /** Rate limiters a route outside apiBasePath declares among its handlers (GET /metrics). */
  rateLimiters?: ReadonlySet<unknown>;
}

export interface BuiltDocument {
  document: oas31.OpenAPIObject;
  /** `METHOD /path` of every route registered without a description: a test keeps this empty. */
  undescribed: string[];
}

interface Operation {
  method: string;
  path: string;
  handlers: unknown[];
}

export function buildOpenApiDocument(source: DocumentSource): BuiltDocument {
  nameComponentSchemas();
  registerSchemaExamples();
  const paths: ZodOpenApiPathsObject = {};
  const undescribed: string[] = [];
  for (const operation of operationsOf(source.routes)) {
    const description = operation.handlers.map(routeDescriptionOf).find((each) => each !== undefined);
    if (description === undefined) {
      undescribed.push(`${operation.method} ${operation.path}`);
      continue;
    }
    const guard = operation.handlers.map((handler) => source.guards.get(handler)).find((each) => each !== undefined);
    const validated = operation.handlers.map(requestSchemaOf).find((each) => each !== undefined);
    const path = toOpenApiPath(operation.path);
    const rateLimited = operation.path.startsWith(`${source.apiBasePath}/`) || operation.handlers.some((handler) => source.rateLimiters?.has(handler));
    paths[path] = {
      ...paths[path],
      [operation.method.toLowerCase()]: describeOperation(operation.path, description, { ...description.request, ...validated }, guard, rateLimited),
    };
  }
  // zod-openapi types what it returns as the newest version it writes (3.2, whose parameters may
  // be `in: querystring`); asked for 3.1.0 with nothing but 3.1's parts, it writes a 3.1 document,
  // which test/node/openapi-document.test.ts validates against 3.1's schema.
  const document = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'llm-gateway',
      version: source.version,
      description:
        'An LLM API gateway: provider keys stored encrypted, chat in OpenAI\'s format over OpenAI- and Anthropic-protocol providers, scoped access keys and usage. Every error is `{error:{code, message, details?}}`.',
    },
    paths,
    components: { schemas: eventSchemas, securitySchemes },
  }) as oas31.OpenAPIObject;
  return { document, undescribed };
}

/** One entry per method and path; every handler and middleware registered on it, unwrapped. */
function operationsOf(routes: readonly RouterRoute[]): Operation[] {
  const byKey = new Map<string, Operation>();
  for (const route of routes) {
    // Middleware (`app.use`) registers as ALL; it belongs to no one operation. A wildcard path
    // (the static files on Node, `GET /*`) is not an operation either: its files are not the API.
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    const key = `${route.method} ${route.path}`;
    const operation = byKey.get(key) ?? { method: route.method, path: route.path, handlers: [] };
    operation.handlers.push(findTargetHandler(route.handler));
    byKey.set(key, operation);
  }
  return [...byKey.values()];
}

function pathParameterNames(path: string): string[] {
  return path.split('/').flatMap((segment) => (segment.startsWith(':') ? [segment.slice(1).replace(/\{.*$/, '').replace(/\?$/, '')] : []));
}

function toOpenApiPath(path: string): string {
  return path.split('/').map((segment) => (segment.startsWith(':') ? `{${pathParameterNames(segment)[0]}}` : segment)).join('/');
}

function describeOperation(path: string, description: RouteDescription, request: RouteRequest, guard: GuardName | undefined, rateLimited: boolean): ZodOpenApiOperationObject {
  const pathParameters = pathParameterNames(path);
  const derived = new Set<ErrorStatus>([...guardErrors(guard), ...(description.errors ?? []), 500]);
  if (rateLimited) derived.add(429);
  if (guard !== undefined) derived.add(503);
  if (request.json || request.query || request.headers) derived.add(400);
  if (request.json) derived.add(413);
  if (pathParameters.length > 0) derived.add(404);

  const responses: Record<string, ZodOpenApiResponseObject | oas31.ReferenceObject> = {};
  for (const [status, response] of Object.entries(description.responses) as [string, ZodOpenApiResponseObject][]) {
    responses[status] = withCommonHeaders(response, rateLimited);
  }
  for (const status of [...derived].sort((a, b) => a - b)) {
    responses[status] ??= description.errorDialect ? dialectErrorResponse(status, description.errorDialect, rateLimited) : errorResponse(status, rateLimited);
  }

  return {
    operationId: description.operationId,
    summary: description.summary,
    ...(description.description ? { description: description.description } : {}),
    tags: description.tags,
    security: securityFor(guard),
    requestParams: {
      ...(pathParameters.length > 0 ? { path: z.object(Object.fromEntries(pathParameters.map((name) => [name, z.string()]))) } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(request.headers ? { header: request.headers } : {}),
    },
    ...(request.json ? { requestBody: { required: !request.jsonOptional, content: { 'application/json': { schema: request.json } } } } : {}),
    responses: responses as ZodOpenApiOperationObject['responses'],
  };
}
