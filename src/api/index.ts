// The contract's wire shapes as zod schemas, shared by the server (which validates with them and
// describes them in its OpenAPI document) and by llm-gateway-client (which takes its types from
// them with `import type`, so no zod code reaches a browser bundle). One definition, so client,
// server and API description cannot drift.

export * from './errors.ts';
export * from './health.ts';
export * from './providers.ts';
export * from './pricing.ts';
export * from './provider-import.ts';
export * from './models.ts';
export * from './chat.ts';
export * from './embeddings.ts';
export * from './access-keys.ts';
export * from './usage.ts';
export * from './session.ts';
export * from './gateway-headers.ts';
export * from './logs.ts';
export * from './model-routes.ts';
