import { createParser } from 'eventsource-parser';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import * as z from 'zod';
import type { AppEnv } from '../app-env.ts';
import { ApiError, NotFoundError, ValidationError } from '../errors/api-error.ts';
import { toApiError } from '../errors/render-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { RequestIo } from '../http/request-io.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { toValidationError } from '../middleware/validation.ts';
import { frameData, type ResponseContext } from '../protocols/chat-protocol.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { StoredProvider } from '../storage/provider-store.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';
import { ClientAbortedError, type UpstreamExchange } from '../upstream/call-upstream.ts';
import type { ChatProtocol } from '../protocols/chat-protocol.ts';
import { chatRequestSchema } from '../api/chat.ts';

// POST /chat/completions: OpenAI's request in, OpenAI's answer out, whatever the provider speaks.


export function chatRoutes(dependencies: { providers: ProviderService; gateway: UpstreamGateway; io: RequestIo; logger: Logger; now: () => number }) {
  const { providers, gateway, io, logger, now } = dependencies;

  async function route(body: z.infer<typeof chatRequestSchema>): Promise<{ provider: StoredProvider; upstreamModel: string }> {
    if (body.provider_id !== undefined) {
      const provider = await providers.resolve(body.provider_id);
      if (!provider) throw new NotFoundError(`Provider ${JSON.stringify(body.provider_id)} not found`, { field: 'provider_id' });
      // A model listed by GET /models ("name/model") may be sent together with provider_id.
      const prefix = body.model.slice(0, body.model.indexOf('/') + 1).toLowerCase();
      const named = prefix === `${provider.name.toLowerCase()}/` || prefix === `${provider.id.toLowerCase()}/`;
      return { provider, upstreamModel: named ? body.model.slice(prefix.length) : body.model };
    }
    const slash = body.model.indexOf('/');
    if (slash <= 0 || slash === body.model.length - 1) {
      throw new ValidationError('Give provider_id, or a model of the form <provider id or name>/<model>', { field: 'model' });
    }
    const provider = await providers.resolve(body.model.slice(0, slash));
    if (!provider) throw new NotFoundError(`No provider named ${JSON.stringify(body.model.slice(0, slash))}`, { field: 'model' });
    return { provider, upstreamModel: body.model.slice(slash + 1) };
  }

  return new Hono<AppEnv>().post('/chat/completions', jsonBody(), async (c) => {
    const body = c.get('jsonBody');
    const checked = chatRequestSchema.safeParse(body);
    if (!checked.success) throw toValidationError(checked.error);
    const { provider, upstreamModel } = await route(checked.data);
    const stream = checked.data.stream === true;
    const logFields = c.get('logFields');
    logFields.providerId = provider.id;
    logFields.model = upstreamModel;
    logFields.stream = stream;

    const { exchange, protocol } = await gateway.send(
      provider,
      (protocol, apiKey) => protocol.chatRequest(provider, apiKey, body, upstreamModel),
      'POST',
      io.clientSignal(c),
    );
    const context: ResponseContext = {
      model: upstreamModel,
      created: Math.floor(now() / 1000),
      includeUsage: checked.data.stream_options?.include_usage === true,
    };
    if (!stream) {
      const converted = protocol.convertResponse(await gateway.readBody(exchange), context);
      logFields.promptTokens = converted.usage?.prompt_tokens;
      logFields.completionTokens = converted.usage?.completion_tokens;
      return c.body(converted.body, 200, { 'Content-Type': 'application/json' });
    }
    return relayStream(c, exchange, protocol, context, logger, logFields);
  });
}

function relayStream(
  c: Context<AppEnv>,
  exchange: UpstreamExchange,
  protocol: ChatProtocol,
  context: ResponseContext,
  logger: Logger,
  logFields: AppEnv['Variables']['logFields'],
): Response {
  // No onError: Hono would then write its own `event: error` frame, which is not the contract's
  // shape. Every failure is caught below and written as one `data: {"error":...}` event.
  const response = streamSSE(c, async (sse) => {
    sse.onAbort(() => exchange.discard());
    const translator = protocol.createStreamTranslator(context);
    let pending = '';
    let failure: ApiError | undefined;
    const parser = createParser({
      onEvent(event) {
        if (failure !== undefined) return;
        try {
          pending += translator.onEvent(event.data, event.event);
        } catch (error) {
          failure = toApiError(error);
        }
      },
    });
    const decoder = new TextDecoder();
    try {
      // One write per network chunk: each upstream chunk reaches the client as soon as it
      // arrived, without a write per event.
      for await (const chunk of exchange.body) {
        parser.feed(decoder.decode(chunk, { stream: true }));
        if (pending.length > 0) {
          await sse.write(pending);
          pending = '';
        }
        if (failure !== undefined) break;
      }
      if (failure === undefined) pending += translator.onEnd();
    } catch (error) {
      if (error instanceof ClientAbortedError || sse.aborted) return;
      failure = toApiError(error);
    }
    if (failure !== undefined) {
      exchange.discard();
      pending += frameData(JSON.stringify(failure.toJSON()));
      logger.warn('stream failed', { requestId: c.get('requestId'), providerId: logFields.providerId, code: failure.code, message: failure.message });
    } else if (translator.usage) {
      logger.info('stream completed', {
        requestId: c.get('requestId'),
        providerId: logFields.providerId,
        model: logFields.model,
        promptTokens: translator.usage.prompt_tokens,
        completionTokens: translator.usage.completion_tokens,
      });
    }
    if (pending.length > 0 && !sse.aborted) await sse.write(pending);
  });
  // streamSSE sets `Cache-Control: no-cache`; proxies also need no-transform, and nginx needs
  // X-Accel-Buffering to pass each chunk on at once. Set on the response streamSSE built (the
  // context's headers were already copied into it; @hono/node-server keeps them as a plain
  // Headers object for a streamed body, so this costs no Response rebuild).
  response.headers.set('Cache-Control', 'no-cache, no-transform');
  response.headers.set('X-Accel-Buffering', 'no');
  return response;
}
