import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../app-env.ts';
import { ValidationError } from '../errors/api-error.ts';
import type { RequestIo } from '../http/request-io.ts';
import { toValidationError } from '../middleware/validation.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';

// Is a provider reachable and does it accept our key? Both answer 200 and report failures in the
// body: the check itself succeeded even when the provider did not.

const testBodySchema = z.strictObject({ model: z.string().min(1).max(512).optional() });

export function providerCheckRoutes(dependencies: { providers: ProviderService; gateway: UpstreamGateway; io: RequestIo; now: () => number }) {
  const { providers, gateway, io, now } = dependencies;
  return new Hono<AppEnv>()
    .get('/providers/:id/health', async (c) => {
      const provider = await providers.get(c.req.param('id'));
      const result = await gateway.check(() => gateway.fetchModels(provider, io.clientSignal(c)));
      return c.json({
        status: result.ok ? 'ok' : 'error',
        latencyMs: result.latencyMs,
        checkedAt: new Date(now()).toISOString(),
        ...(result.error ? { error: result.error } : {}),
      });
    })
    .post('/providers/:id/test', async (c) => {
      const provider = await providers.get(c.req.param('id'));
      // An optional {"model"} makes the test a one-token chat completion instead of a model list.
      const text = await c.req.text();
      let model: string | undefined;
      if (text.trim().length > 0) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new ValidationError('Malformed JSON in request body', { field: 'body' });
        }
        const checked = testBodySchema.safeParse(parsed);
        if (!checked.success) throw toValidationError(checked.error);
        model = checked.data.model;
      }
      const result = await gateway.check(async () => {
        if (model === undefined) return gateway.fetchModels(provider, io.clientSignal(c));
        const { exchange, protocol } = await gateway.send(
          provider,
          (protocol, apiKey) => protocol.chatRequest(provider, apiKey, { model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }, model),
          'POST',
          io.clientSignal(c),
        );
        protocol.convertResponse(await gateway.readBody(exchange), { model, created: Math.floor(now() / 1000), includeUsage: false });
      });
      return c.json(result);
    });
}
