import { Hono } from 'hono';
import * as z from 'zod';
import { embeddingListSchema, embeddingsRequestSchema } from '../api/embeddings.ts';
import { gatewayHeaders } from '../api/gateway-headers.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import type { EmbeddingsService } from '../embeddings/embeddings-service.ts';
import type { RequestIo } from '../http/request-io.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { toValidationError } from '../middleware/validation.ts';
import { describeRoute } from '../openapi/describe-route.ts';

// POST /embeddings: OpenAI's Embeddings API for RAG features and the SDKs, passed through to
// OpenAI-protocol providers; the service owns the exchange.

const describeEmbeddings = describeRoute({
  operationId: 'createEmbeddings',
  summary: 'OpenAI Embeddings, through an OpenAI-protocol provider',
  description:
    'OpenAI\'s request: `model` is `<provider id or name>/<model>` (or the upstream model with `provider_id`), or a route\'s name (served by its openai-protocol targets); `input` a string, strings, a token array or token arrays; `dimensions` and `encoding_format` (`float` or `base64`) as OpenAI takes them. Fields the gateway does not read pass through. The answer is the provider\'s, as it came. An anthropic provider has no embeddings API: 400, nothing sent. An access key is held to its providers, models, rate limit and budget; the usage ledger records the prompt tokens.',
  tags: ['Chat'],
  request: { json: embeddingsRequestSchema },
  responses: {
    200: {
      description: 'The provider\'s embedding list.',
      headers: z.object({ [gatewayHeaders.provider]: z.string().meta({ description: 'The name of the provider that served the answer.' }) }),
      content: { 'application/json': { schema: embeddingListSchema } },
    },
  },
  errors: [403, 404, 502, 504],
});

export function embeddingsRoutes(dependencies: { embeddings: EmbeddingsService; guards: Guards; io: RequestIo }) {
  const { embeddings, guards, io } = dependencies;
  return new Hono<AppEnv>().post('/embeddings', guards.clientOrAccessKey, describeEmbeddings, jsonBody(), async (c) => {
    const body = c.get('jsonBody');
    const checked = embeddingsRequestSchema.safeParse(body);
    if (!checked.success) throw toValidationError(checked.error);
    const answer = await embeddings.embed({ request: checked.data, body, caller: c.get('caller')!, signal: io.clientSignal(c) });
    const logFields = c.get('logFields');
    logFields.providerId = answer.provider.id;
    logFields.model = answer.model;
    c.header(gatewayHeaders.provider, answer.provider.name);
    return c.body(answer.body, 200, { 'Content-Type': 'application/json' });
  });
}
