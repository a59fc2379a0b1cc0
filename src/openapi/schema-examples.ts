import * as z from 'zod';
import { createAccessKeySchema, updateAccessKeySchema } from '../api/access-keys.ts';
import { chatRequestSchema } from '../api/chat.ts';
import { embeddingsRequestSchema } from '../api/embeddings.ts';
import { createRouteSchema, updateRouteSchema } from '../api/model-routes.ts';
import { providerImportRequestSchema } from '../api/provider-import.ts';
import { providerTestBodySchema } from '../api/providers.ts';
import { sessionSchema } from '../api/session.ts';
import { countTokensRequestSchema, messagesRequestSchema } from '../dialects/messages/messages-api.ts';
import { responsesRequestSchema } from '../dialects/responses/responses-api.ts';
import { createProviderSchema, updateProviderSchema } from '../providers/provider-schemas.ts';

// The request bodies the docs page's "Try it out" sends (a provider named "openai" or
// "anthropic"), instead of bodies built from the types, as examples on the schemas the routes
// validate with. They are registered here, beside the document builder, rather than on the
// schemas where they are declared: the Worker serves a document built at build time and never
// imports the builder, so its bundle does not carry them.

const examples: Array<[z.ZodType, unknown]> = [
  // `providers` left out, since it must name providers that exist.
  [createAccessKeySchema, { name: 'alice', models: ['openai/gpt-4o*'], rateLimit: { requests: 60, windowMs: 60_000 }, budget: { tokens: 1_000_000, period: 'month' } }],
  [updateAccessKeySchema, { budget: { tokens: 2_000_000, period: 'month' }, disabled: false }],
  [chatRequestSchema, { model: 'openai/gpt-4o-mini', messages: [{ role: 'system', content: 'Answer in one sentence.' }, { role: 'user', content: 'What is an LLM gateway?' }], stream: false }],
  [embeddingsRequestSchema, { model: 'openai/text-embedding-3-small', input: 'The quick brown fox' }],
  [createRouteSchema, { name: 'gpt-4o', targets: [{ model: 'openai/gpt-4o', weight: 1 }], strategy: 'weighted' }],
  [updateRouteSchema, { strategy: 'least-busy' }],
  [providerImportRequestSchema, {
        providers: [
          { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-your-openai-key', routingMethod: 'openai' },
          { name: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-your-anthropic-key', routingMethod: 'anthropic' },
        ],
        onConflict: 'skip',
        dryRun: true,
      }],
  [providerTestBodySchema, { model: 'gpt-4o-mini' }],
  [sessionSchema, {
        role: 'access-key',
        keyId: '3f1c2a9e-5b7d-4e21-9a0c-1d2e3f4a5b6c',
        keyName: 'alice',
        scopes: { providers: [{ id: '8b0e4f6a-2c1d-4e3f-9a8b-7c6d5e4f3a2b', name: 'openai' }], models: ['openai/gpt-4o*'] },
        rateLimit: { requests: 60, windowMs: 60_000 },
        budget: { tokens: 1_000_000, usd: 20, period: 'month', spent: { usd: 3.42, tokens: 52_310 } },
        expiresAt: null,
      }],
  [messagesRequestSchema, { model: 'anthropic/claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Hello!' }] }],
  [countTokensRequestSchema, { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello!' }] }],
  [responsesRequestSchema, { model: 'openai/gpt-4.1-mini', input: 'Hello!', max_output_tokens: 256 }],
  // What the docs page's "Try it out" sends, instead of one built from the types ("string", additionalProp1).
  [createProviderSchema, { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-your-openai-key', routingMethod: 'openai' }],
  [updateProviderSchema, { apiKey: 'sk-your-new-openai-key' }],
];

/** Adds each example to its schema's metadata in zod's global registry, where zod-openapi reads it. */
export function registerSchemaExamples(): void {
  for (const [schema, example] of examples) z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), example });
}
