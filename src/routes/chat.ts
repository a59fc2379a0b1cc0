import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { chatCompletionSchema, chatRequestSchema } from '../api/chat.ts';
import { cacheStatuses, cacheTtlSecondsSchema, gatewayHeaders, providerHeaderSchema } from '../api/gateway-headers.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import type { ChatService } from '../chat/chat-service.ts';
import type { RequestIo } from '../http/request-io.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { toValidationError } from '../middleware/validation.ts';
import { describeRoute, eventStream } from '../openapi/describe-route.ts';
import { cacheOptions, sendAnswer } from './send-answer.ts';

// POST /chat/completions: OpenAI's request in, OpenAI's answer out, whatever the provider speaks.
// The route validates and pipes; the chat service owns the exchange.

export interface ChatRouteDependencies {
  chat: ChatService;
  /** RESPONSE_CACHE_TTL_SECONDS: cache every answer this long unless the request says otherwise. */
  defaultCacheTtlSeconds: number | undefined;
  guards: Guards;
  io: RequestIo;
  defer: (c: Context<AppEnv>, task: Promise<unknown>) => void;
}

const describeChat = describeRoute({
  operationId: 'createChatCompletion',
  summary: 'OpenAI Chat Completions, through any provider',
  description:
    'OpenAI\'s request plus `provider_id`, or `model` as `<provider id or name>/<model>`; `models` lists fallbacks. Fields the gateway does not read pass through to OpenAI-protocol providers. The answer is in OpenAI\'s format whatever the provider speaks. An access key is held to its providers, models, rate limit and budget.',
  tags: ['Chat'],
  request: {
    json: chatRequestSchema,
    headers: z.object({
      [gatewayHeaders.cacheTtl]: cacheTtlSecondsSchema.optional().meta({ description: 'Answer from the response cache when an identical request was answered within this many seconds.' }),
      'Cache-Control': z.literal('no-cache').optional().meta({ description: 'Skip the response cache for this request (`X-Gateway-Cache-Status: BYPASS`).' }),
    }),
  },
  responses: {
    200: {
      description: 'A `chat.completion` (`stream: false`), or (`stream: true`) an event stream.',
      headers: z.object({
        [gatewayHeaders.provider]: providerHeaderSchema,
        [gatewayHeaders.cacheStatus]: z.enum(cacheStatuses).optional().meta({ description: 'Absent when caching is off for the request.' }),
      }),
      content: {
        'application/json': { schema: chatCompletionSchema },
        'text/event-stream': eventStream(
          'One `data: <ChatCompletionChunk>` event per chunk, then `data: [DONE]`. A failure after the stream started is one `data: <ErrorBody>` event, and the stream ends without `[DONE]`.',
        ),
      },
    },
  },
  errors: [403, 404, 422, 502, 504],
});

export function chatRoutes(dependencies: ChatRouteDependencies) {
  const { chat, guards, io, defer, defaultCacheTtlSeconds } = dependencies;
  return new Hono<AppEnv>().post('/chat/completions', guards.clientOrAccessKey, describeChat, jsonBody(), async (c) => {
    const body = c.get('jsonBody');
    const checked = chatRequestSchema.safeParse(body);
    if (!checked.success) throw toValidationError(checked.error);
    const cache = cacheOptions(c, defaultCacheTtlSeconds);
    const answer = await chat.complete({
      request: checked.data,
      body,
      caller: c.get('caller')!,
      signal: io.clientSignal(c),
      cache,
      defer: (task) => defer(c, task),
    });
    return sendAnswer(c, answer, io, 'text/event-stream');
  });
}
