import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import * as z from 'zod';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import { ValidationError } from '../errors/api-error.ts';
import { toApiError } from '../errors/render-error.ts';
import type { RequestIo } from '../http/request-io.ts';
import type { Logger } from '../logging/logger.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { toValidationError } from '../middleware/validation.ts';
import { buildMessagesPassThroughRequest } from '../protocols/anthropic/build-messages-pass-through-request.ts';
import { checkMessagesAnswer } from '../protocols/anthropic/check-messages-answer.ts';
import { frameMessagesStreamError } from '../protocols/anthropic/frame-messages-stream-error.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import { routeModel } from '../providers/route-model.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';
import { ClientAbortedError, type UpstreamExchange } from '../upstream/call-upstream.ts';
import { MAX_MESSAGES } from '../api/chat.ts';
import { describeRoute, eventStream } from '../openapi/describe-route.ts';

// POST /messages: Anthropic's Messages API, passed through to anthropic-protocol providers, so
// the Anthropic SDK works with only a base URL and a token. The request and the answer (JSON or
// the SSE stream) go through as they are, but for the model name and the key.

// Only what the proxy itself reads; the provider checks the rest.
const messagesRequestSchema = z
  .looseObject({
    model: z.string().min(1).max(512),
    messages: z.array(z.looseObject({ role: z.string().min(1) })).min(1).max(MAX_MESSAGES),
    stream: z.boolean().nullish(),
  })
  // What the docs page's "Try it out" sends.
  .meta({ example: { model: 'anthropic/claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Hello!' }] } });

const describeMessages = describeRoute({
  operationId: 'createMessage',
  summary: 'Anthropic Messages, passed through to an anthropic-protocol provider',
  description:
    'For the Anthropic SDK (base URL `<gateway>/api`). `model` is `<provider id or name>/<model>`; the rest of the body goes to the provider as sent, and its answer comes back as it wrote it. An openai-protocol provider is a 400 on `model`: use /chat/completions.',
  tags: ['Chat'],
  request: {
    json: messagesRequestSchema,
    headers: z.object({
      'anthropic-version': z.string().optional().meta({ description: 'Passed on; `2023-06-01` when absent.' }),
      'anthropic-beta': z.string().optional().meta({ description: 'Passed on when sent.' }),
    }),
  },
  responses: {
    200: {
      description: 'The provider\'s message, or its event stream byte for byte.',
      content: {
        // All the gateway guarantees of a pass-through answer: a JSON object (see checkMessagesAnswer).
        'application/json': { schema: z.record(z.string(), z.unknown()).meta({ description: 'Anthropic\'s Message object: https://docs.anthropic.com/en/api/messages' }) },
        'text/event-stream': eventStream('Anthropic\'s own events. A failure after the stream started (a timeout, a lost connection) is one `event: error` whose data is an ErrorBody.'),
      },
    },
  },
  errors: [404, 422, 502, 504],
});

export function messagesRoutes(dependencies: { providers: ProviderService; gateway: UpstreamGateway; guards: Guards; io: RequestIo; logger: Logger }) {
  const { providers, gateway, guards, io, logger } = dependencies;

  // The shared token only: access keys are scoped, budgeted and metered through /chat/completions.
  return new Hono<AppEnv>().post('/messages', guards.client, describeMessages, jsonBody(), async (c) => {
    const body = c.get('jsonBody');
    const checked = messagesRequestSchema.safeParse(body);
    if (!checked.success) throw toValidationError(checked.error);
    const { provider, upstreamModel } = await routeModel(providers, checked.data.model);
    if (provider.routingMethod !== 'anthropic') {
      throw new ValidationError(
        `This route serves anthropic-protocol providers; ${JSON.stringify(provider.name)} speaks the OpenAI protocol: use /chat/completions`,
        { field: 'model' },
      );
    }
    const streamed = checked.data.stream === true;
    const logFields = c.get('logFields');
    logFields.providerId = provider.id;
    logFields.model = upstreamModel;
    logFields.stream = streamed;

    const clientHeaders = { version: c.req.header('anthropic-version'), beta: c.req.header('anthropic-beta') };
    const { exchange } = await gateway.send(
      provider,
      (_protocol, apiKey) => buildMessagesPassThroughRequest(provider, apiKey, body, upstreamModel, clientHeaders),
      'POST',
      io.clientSignal(c),
    );
    if (!streamed) {
      const text = await gateway.readBody(exchange);
      checkMessagesAnswer(text);
      return c.body(text, 200, { 'Content-Type': 'application/json' });
    }
    return relayBytes(c, exchange, logger);
  });
}

/** The provider's event stream, chunk by chunk as it arrived; a transport failure ends it with one error event. */
function relayBytes(c: Context<AppEnv>, exchange: UpstreamExchange, logger: Logger): Response {
  c.header('Content-Type', 'text/event-stream; charset=utf-8');
  // no-transform and X-Accel-Buffering keep proxies (nginx above all) from holding chunks back.
  c.header('Cache-Control', 'no-cache, no-transform');
  c.header('X-Accel-Buffering', 'no');
  return stream(c, async (out) => {
    out.onAbort(() => exchange.discard());
    try {
      for await (const chunk of exchange.body) {
        if (out.aborted) break;
        await out.write(chunk);
      }
    } catch (error) {
      if (error instanceof ClientAbortedError || out.aborted) return;
      const failure = toApiError(error);
      logger.warn('stream failed', { requestId: c.get('requestId'), providerId: c.get('logFields').providerId, code: failure.code, message: failure.message });
      await out.write(frameMessagesStreamError(failure));
    } finally {
      exchange.discard();
    }
  });
}
