import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { providerHeaderSchema, cacheStatuses, cacheTtlSecondsSchema, gatewayHeaders } from '../api/gateway-headers.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import type { ChatService } from '../chat/chat-service.ts';
import { countMessageTokens } from '../dialects/messages/count-message-tokens.ts';
import { createMessagesDialect } from '../dialects/messages/messages-dialect.ts';
import { countTokensAnswerSchema, countTokensRequestSchema, messageAnswerSchema, messagesErrorBodySchema, messagesRequestSchema } from '../dialects/messages/messages-api.ts';
import { renderMessagesError } from '../dialects/messages/render-messages-error.ts';
import type { RequestIo } from '../http/request-io.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { toValidationError } from '../middleware/validation.ts';
import { describeRoute, eventStream } from '../openapi/describe-route.ts';
import { cacheOptions, sendAnswer } from './send-answer.ts';

// POST /messages and /messages/count_tokens: Anthropic's Messages API for the Anthropic SDKs and
// Claude Code (base URL `<gateway>/api`), whatever the provider speaks. The chat service owns the
// exchange; the Messages dialect says how the request and the answer look. Every error on these
// routes is in Anthropic's shape.

export interface MessagesRouteDependencies {
  chat: ChatService;
  defaultCacheTtlSeconds: number | undefined;
  guards: Guards;
  io: RequestIo;
  defer: (c: Context<AppEnv>, task: Promise<unknown>) => void;
}

const anthropicHeaders = z.object({
  'anthropic-version': z.string().optional().meta({ description: 'Passed to anthropic providers; `2023-06-01` when absent.' }),
  'anthropic-beta': z.string().optional().meta({ description: 'Passed to anthropic providers when sent; ignored in a translation.' }),
});

const betaQuery = z.object({ beta: z.string().optional().meta({ description: '`true` (Claude Code sends it) is passed to anthropic providers.' }) });

const errorDialect = { name: 'Messages', schema: messagesErrorBodySchema, render: renderMessagesError };

const describeMessages = describeRoute({
  operationId: 'createMessage',
  summary: 'Anthropic Messages, through any provider',
  description:
    'For the Anthropic SDKs and Claude Code (base URL `<gateway>/api`). `model` is `<provider id or name>/<model>`; `models` lists fallbacks. An anthropic provider gets the request as sent (model rewritten) and its answer comes back as it wrote it; an OpenAI-protocol provider gets a translated Chat Completions request and its answer is translated back, JSON or Anthropic\'s event stream. Tools the translation cannot carry (Anthropic\'s server tools) are named in `X-Gateway-Dropped-Tools`. Errors are in Anthropic\'s shape with the gateway\'s code in `error.gateway_code`. Credentials: `Authorization: Bearer` or `x-api-key`.',
  tags: ['Chat'],
  request: {
    json: messagesRequestSchema,
    query: betaQuery,
    headers: anthropicHeaders.extend({
      [gatewayHeaders.cacheTtl]: cacheTtlSecondsSchema.optional().meta({ description: 'Answer from the response cache when an identical request was answered within this many seconds.' }),
      'Cache-Control': z.literal('no-cache').optional().meta({ description: 'Skip the response cache for this request.' }),
    }),
  },
  responses: {
    200: {
      description: 'A Message (`stream: false`), or Anthropic\'s event stream.',
      headers: z.object({
        [gatewayHeaders.provider]: providerHeaderSchema,
        [gatewayHeaders.cacheStatus]: z.enum(cacheStatuses).optional().meta({ description: 'Absent when caching is off for the request.' }),
        [gatewayHeaders.droppedTools]: z.string().optional().meta({ description: 'Tools left out of a translated request (comma list of names).' }),
      }),
      content: {
        'application/json': { schema: messageAnswerSchema },
        'text/event-stream': eventStream(
          'message_start, then per content block content_block_start, its deltas and content_block_stop, then message_delta and message_stop. A failure after the stream started is one `event: error` in Anthropic\'s shape.',
        ),
      },
    },
  },
  errors: [403, 404, 422, 502, 504],
  errorDialect,
});

const describeCountTokens = describeRoute({
  operationId: 'countMessageTokens',
  summary: 'Count a Messages prompt\'s tokens',
  description: 'Passed to an anthropic provider; for any other provider the answer is the gateway\'s estimate (about four characters of the prompt\'s JSON per token).',
  tags: ['Chat'],
  request: { json: countTokensRequestSchema, query: betaQuery, headers: anthropicHeaders },
  responses: { 200: { description: 'The prompt\'s size.', content: { 'application/json': { schema: countTokensAnswerSchema } } } },
  errors: [403, 404, 502, 504],
  errorDialect,
});

export function messagesRoutes(dependencies: MessagesRouteDependencies) {
  const { chat, guards, io, defer, defaultCacheTtlSeconds } = dependencies;
  const clientHeaders = (c: Context<AppEnv>) => ({ version: c.req.header('anthropic-version'), beta: c.req.header('anthropic-beta') });

  return new Hono<AppEnv>()
    .post('/messages', guards.clientOrAccessKeyByApiKey, describeMessages, jsonBody(), async (c) => {
      const body = c.get('jsonBody');
      const checked = messagesRequestSchema.safeParse(body);
      if (!checked.success) throw toValidationError(checked.error);
      const { chatBody, dialect } = createMessagesDialect(checked.data, body, { ...clientHeaders(c), betaQuery: c.req.query('beta') === 'true' });
      const answer = await chat.complete({
        request: chatBody as { model: string; messages: Array<{ role: string }> },
        body: chatBody,
        caller: c.get('caller')!,
        signal: io.clientSignal(c),
        cache: cacheOptions(c, defaultCacheTtlSeconds),
        defer: (task) => defer(c, task),
        dialect,
      });
      return sendAnswer(c, answer, io, 'text/event-stream; charset=utf-8');
    })
    .post('/messages/count_tokens', guards.clientOrAccessKeyByApiKey, describeCountTokens, jsonBody(), async (c) => {
      const body = c.get('jsonBody');
      const checked = countTokensRequestSchema.safeParse(body);
      if (!checked.success) throw toValidationError(checked.error);
      const inputTokens = await chat.countTokens({ request: checked.data, caller: c.get('caller')!, signal: io.clientSignal(c) }, countMessageTokens(checked.data, { ...clientHeaders(c), betaQuery: c.req.query('beta') === 'true' }));
      return c.json({ input_tokens: inputTokens });
    });
}
