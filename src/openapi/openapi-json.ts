import { buildOpenApiDocument, type DocumentSource } from './build-openapi-document.ts';

/**
 * The document as GET /openapi.json sends it: built from the app's routes when Node serves it,
 * at build time for the Worker (scripts/describe-worker-api.ts), so both are the same text.
 */
export function openApiJson(source: DocumentSource): string {
  return JSON.stringify(buildOpenApiDocument(source).document);
}
