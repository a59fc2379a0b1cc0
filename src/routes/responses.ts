import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { providerHeaderSchema, cacheStatuses, cacheTtlSecondsSchema, gatewayHeaders } from '../api/gateway-headers.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import type { ChatService } from '../chat/chat-service.ts';
import { createResponsesDialect } from '../dialects/responses/responses-dialect.ts';
import { responseObjectSchema, responsesRequestSchema } from '../dialects/responses/responses-api.ts';
import type { StoredResponses } from '../dialects/responses/stored-responses.ts';
import { NotFoundError } from '../errors/api-error.ts';
import type { RequestIo } from '../http/request-io.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { toValidationError } from '../middleware/validation.ts';
import { describeRoute, eventStream } from '../openapi/describe-route.ts';
import { cacheOptions, sendAnswer } from './send-answer.ts';

// POST /responses, GET and DELETE /responses/:id: OpenAI's Responses API for Codex, the OpenAI
// Agents SDK and the AI SDK's default OpenAI provider, whatever the provider speaks. The chat
// service owns the exchange; the Responses dialect says how the request and answer look, and
// keeps responses per caller for previous_response_id.

export interface ResponsesRouteDependencies {
  chat: ChatService;
  stored: StoredResponses;
  defaultCacheTtlSeconds: number | undefined;
  guards: Guards;
  io: RequestIo;
  now: () => number;
  defer: (c: Context<AppEnv>, task: Promise<unknown>) => void;
}

const RESPONSE_ID = /^resp_[A-Za-z0-9]{1,100}$/;

const describeCreate = describeRoute({
  operationId: 'createResponse',
  summary: 'OpenAI Responses, through any provider',
  description:
    'OpenAI\'s Responses request; `model` is `<provider id or name>/<model>`, `models` lists fallbacks. A provider created with `responsesApi: true` gets the request as sent; any other gets a translated Chat Completions request (function and namespace tools; hosted tools are left out and named in `X-Gateway-Dropped-Tools`) and its answer is translated back, JSON or the Responses event stream. Unless `store: false` the response is kept for RESPONSES_TTL_SECONDS, for `previous_response_id` and GET /responses/{id}, visible only to the caller that made it. `background: true` is refused.',
  tags: ['Chat'],
  request: {
    json: responsesRequestSchema,
    headers: z.object({
      [gatewayHeaders.cacheTtl]: cacheTtlSecondsSchema.optional().meta({ description: 'Answer from the response cache when an identical request was answered within this many seconds.' }),
      'Cache-Control': z.literal('no-cache').optional().meta({ description: 'Skip the response cache for this request.' }),
    }),
  },
  responses: {
    200: {
      description: 'A Response (`stream: false`), or the Responses event stream.',
      headers: z.object({
        [gatewayHeaders.provider]: providerHeaderSchema,
        [gatewayHeaders.cacheStatus]: z.enum(cacheStatuses).optional().meta({ description: 'Absent when caching is off for the request.' }),
        [gatewayHeaders.droppedTools]: z.string().optional().meta({ description: 'Tools left out of a translated request (comma list of names).' }),
      }),
      content: {
        'application/json': { schema: responseObjectSchema },
        'text/event-stream': eventStream(
          'response.created, response.in_progress, per output item response.output_item.added, its content part and text or argument deltas and their done events, response.output_item.done; then response.completed (or response.incomplete). Every event has a rising sequence_number. A failure after the stream started is one `error` event.',
        ),
      },
    },
  },
  errors: [403, 404, 502, 504],
});

const describeGet = describeRoute({
  operationId: 'getResponse',
  summary: 'A stored response',
  description: 'Only the caller that made it sees it; an unknown, expired or someone else\'s id is 404.',
  tags: ['Chat'],
  responses: { 200: { description: 'The Response as it was answered.', content: { 'application/json': { schema: responseObjectSchema } } } },
});

const describeDelete = describeRoute({
  operationId: 'deleteResponse',
  summary: 'Delete a stored response',
  tags: ['Chat'],
  responses: { 204: { description: 'Deleted.' } },
});

export function responsesRoutes(dependencies: ResponsesRouteDependencies) {
  const { chat, stored, guards, io, now, defer, defaultCacheTtlSeconds } = dependencies;
  const idOf = (c: Context<AppEnv>) => {
    const id = c.req.param('id') ?? '';
    if (!RESPONSE_ID.test(id)) throw new NotFoundError(`Response ${JSON.stringify(id)} not found`);
    return id;
  };

  return new Hono<AppEnv>()
    .post('/responses', guards.clientOrAccessKey, describeCreate, jsonBody(), async (c) => {
      const body = c.get('jsonBody');
      const checked = responsesRequestSchema.safeParse(body);
      if (!checked.success) throw toValidationError(checked.error);
      const caller = c.get('caller')!;
      const { chatBody, dialect } = await createResponsesDialect(checked.data, body, { caller, stored, now });
      const answer = await chat.complete({
        request: chatBody as { model: string; messages: Array<{ role: string }> },
        body: chatBody,
        caller,
        signal: io.clientSignal(c),
        cache: cacheOptions(c, defaultCacheTtlSeconds),
        defer: (task) => defer(c, task),
        dialect,
      });
      return sendAnswer(c, answer, io, 'text/event-stream; charset=utf-8');
    })
    .get('/responses/:id', guards.clientOrAccessKey, describeGet, async (c) => c.json((await stored.load(idOf(c), c.get('caller')!)).response))
    .delete('/responses/:id', guards.clientOrAccessKey, describeDelete, async (c) => {
      await stored.delete(idOf(c), c.get('caller')!);
      return c.body(null, 204);
    });
}
