import * as z from 'zod';
import {
  accessKeyListSchema,
  accessKeySchema,
  chatCompletionChunkSchema,
  chatCompletionSchema,
  chatRequestSchema,
  createAccessKeySchema,
  createdAccessKeySchema,
  createRouteSchema,
  embeddingListSchema,
  embeddingsRequestSchema,
  errorBodySchema,
  healthSchema,
  modelListSchema,
  providerHealthSchema,
  providerImportRequestSchema,
  providerImportResultSchema,
  providerListSchema,
  providerModelsSchema,
  providerSchema,
  providerTestResultSchema,
  routeListSchema,
  routeSchema,
  sessionSchema,
  updateAccessKeySchema,
  updateRouteSchema,
  usageReportSchema,
  usageRowSchema,
} from '../api/index.ts';
import { createProviderSchema, updateProviderSchema } from '../providers/provider-schemas.ts';

// The contract's shapes under their own names in components.schemas, so the document reads as
// the contract does: zod-openapi puts a $ref wherever one of these very schema objects appears.

export const componentSchemas: Record<string, z.ZodType> = {
  Health: healthSchema,
  Provider: providerSchema,
  ProviderList: providerListSchema,
  ProviderHealth: providerHealthSchema,
  ProviderTestResult: providerTestResultSchema,
  ProviderModels: providerModelsSchema,
  ProviderImportResult: providerImportResultSchema,
  ModelList: modelListSchema,
  ChatCompletionRequest: chatRequestSchema,
  ChatCompletion: chatCompletionSchema,
  EmbeddingsRequest: embeddingsRequestSchema,
  EmbeddingList: embeddingListSchema,
  AccessKey: accessKeySchema,
  AccessKeyList: accessKeyListSchema,
  AccessKeyInput: createAccessKeySchema,
  AccessKeyUpdate: updateAccessKeySchema,
  CreatedAccessKey: createdAccessKeySchema,
  UsageRow: usageRowSchema,
  ProviderInput: createProviderSchema,
  ProviderUpdate: updateProviderSchema,
  ProviderImportRequest: providerImportRequestSchema,
  UsageReport: usageReportSchema,
  Route: routeSchema,
  RouteList: routeListSchema,
  RouteInput: createRouteSchema,
  RouteUpdate: updateRouteSchema,
  Session: sessionSchema,
};

/** Not the body of any answer, but what one holds: each `data:` event of a stream, and the error shape every error status narrows. */
export const eventSchemas = {
  ChatCompletionChunk: chatCompletionChunkSchema,
  ErrorBody: errorBodySchema,
};

/**
 * Gives each shape its id in zod's global registry, where zod-openapi looks for component names,
 * on the schema objects themselves (`.meta()` would name a copy the routes never validate with).
 * A component is then rendered only for the side, request or response, it is used on.
 */
export function nameComponentSchemas(): void {
  for (const [id, schema] of Object.entries(componentSchemas)) z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id });
}
