import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { findTargetHandler } from 'hono/utils/handler';
import * as z from 'zod';
import type { ZodOpenApiResponsesObject } from 'zod-openapi';
import type { ErrorDialect, ErrorStatus } from './error-responses.ts';

// A route's entry in the API description, declared on the route beside its guard:
// `.post('/keys', guards.management, describeRoute({...}), handler)`. At request time it only
// passes on; the document builder finds it by walking app.routes, so a route cannot be
// registered without the builder seeing whether it was described.

export interface RouteRequest {
  /** The JSON body's schema: the very one the route validates with. */
  json?: z.ZodType;
  /** An optional body (POST /providers/:id/test takes `{}` or nothing). */
  jsonOptional?: boolean;
  query?: z.ZodObject;
  headers?: z.ZodObject;
}

export interface RouteDescription {
  operationId: string;
  summary: string;
  description?: string;
  tags: [string, ...string[]];
  request?: RouteRequest;
  /** The answers this route gives itself; error answers its guard, input and path imply are added by the builder. */
  responses: ZodOpenApiResponsesObject;
  /** Error statuses beyond those the builder derives (guard: 401/403, input: 400/413, path parameters: 404). */
  errors?: readonly ErrorStatus[];
  /** The route answers errors in a client dialect's shape instead of the contract's. */
  errorDialect?: ErrorDialect;
}

const describedBy = Symbol('route description');
const validatesWith = Symbol('request schema');

type Marked<K extends symbol, V> = MiddlewareHandler & { [key in K]: V };

export function describeRoute(description: RouteDescription): Marked<typeof describedBy, RouteDescription> {
  const passOn: MiddlewareHandler = (_c, next) => next();
  return Object.assign(passOn, { [describedBy]: description });
}

/** Marks a validating middleware with the schema it validates, so the description cannot drift from it. */
export function withRequestSchema<M extends MiddlewareHandler>(middleware: M, request: RouteRequest): M {
  return Object.assign(middleware, { [validatesWith]: request });
}

export function routeDescriptionOf(handler: unknown): RouteDescription | undefined {
  return (handler as Partial<Marked<typeof describedBy, RouteDescription>>)[describedBy];
}

export function requestSchemaOf(handler: unknown): RouteRequest | undefined {
  return (handler as Partial<Marked<typeof validatesWith, RouteRequest>>)[validatesWith];
}

/** A JSON answer, for `responses`. */
export function jsonAnswer(description: string, schema: z.ZodType) {
  return { description, content: { 'application/json': { schema } } };
}

/** A `text/event-stream` alternative; what each event holds is said in words (OpenAPI 3.1 has no schema for event sequences). */
export function eventStream(description: string) {
  return { schema: z.string().meta({ description }) };
}

/**
 * The error dialect the route matched by this request declares, if any: errors are rendered in
 * it wherever they were thrown (a body over the limit, a rate limit, the handler itself).
 */
export function errorDialectOf(c: Context): ErrorDialect | undefined {
  for (const route of matchedRoutes(c)) {
    const dialect = routeDescriptionOf(findTargetHandler(route.handler))?.errorDialect;
    if (dialect !== undefined) return dialect;
  }
  return undefined;
}
