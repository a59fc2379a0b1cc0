import { Hono } from 'hono';
import { providerHealthSchema, providerTestBodySchema, providerTestResultSchema } from '../api/providers.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import type { CircuitBreaker } from '../chat/circuit-breaker.ts';
import { ValidationError } from '../errors/api-error.ts';
import { readUtf8Body } from '../http/read-utf8-body.ts';
import type { RequestIo } from '../http/request-io.ts';
import type { OutboundLimit } from '../middleware/outbound-limit.ts';
import { toValidationError } from '../middleware/validation.ts';
import { describeRoute, jsonAnswer } from '../openapi/describe-route.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import type { UpstreamGateway } from '../services/upstream-gateway.ts';

// Is a provider reachable and does it accept our key? Both answer 200 and report failures in the
// body: the check itself succeeded even when the provider did not. Each counts against the
// outbound limit only once the provider is known, since only then does a request go out.

export interface ProviderCheckDependencies {
  providers: ProviderService;
  gateway: UpstreamGateway;
  breaker: CircuitBreaker;
  guards: Guards;
  outbound: OutboundLimit;
  io: RequestIo;
  now: () => number;
}

const docs = {
  health: describeRoute({
    operationId: 'checkProviderHealth',
    summary: 'Is a provider reachable, and does it take our key?',
    description: 'Fetches the provider\'s model list. A provider that is down or refuses the key is a 200 with `status: "error"`; counts against OUTBOUND_RATE_LIMIT_MAX_REQUESTS.',
    tags: ['Providers'],
    responses: { 200: jsonAnswer('The check\'s outcome, and the provider\'s circuit breaker state.', providerHealthSchema) },
  }),
  test: describeRoute({
    operationId: 'testProvider',
    summary: 'Make a real authenticated call to a provider',
    description: 'With `{"model"}`, a one-token chat completion; without a body, the model list. A failure is a 200 with `ok: false`.',
    tags: ['Providers'],
    request: { json: providerTestBodySchema, jsonOptional: true },
    responses: { 200: jsonAnswer('The test\'s outcome.', providerTestResultSchema) },
  }),
};

export function providerCheckRoutes(dependencies: ProviderCheckDependencies) {
  const { providers, gateway, breaker, guards, outbound, io, now } = dependencies;
  return new Hono<AppEnv>()
    .get('/providers/:id/health', guards.client, docs.health, async (c) => {
      const provider = await providers.get(c.req.param('id'));
      const result = await outbound(c, () => gateway.check(() => gateway.fetchModels(provider, io.clientSignal(c))));
      return c.json({
        status: result.ok ? 'ok' : 'error',
        latencyMs: result.latencyMs,
        checkedAt: new Date(now()).toISOString(),
        ...(result.error ? { error: result.error } : {}),
        circuit: breaker.state(provider.id),
      });
    })
    .post('/providers/:id/test', guards.management, docs.test, async (c) => {
      const provider = await providers.get(c.req.param('id'));
      const model = await readTestModel(await readUtf8Body(c));
      const result = await outbound(c, () =>
        gateway.check(async () => {
          if (model === undefined) return gateway.fetchModels(provider, io.clientSignal(c));
          const { exchange, protocol } = await gateway.send(
            provider,
            (protocol, apiKey) => protocol.chatRequest(provider, apiKey, { model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }, model),
            'POST',
            io.clientSignal(c),
          );
          protocol.convertResponse(await gateway.readBody(exchange), { model, created: Math.floor(now() / 1000), includeUsage: false });
        }),
      );
      return c.json(result);
    });
}

/** An optional {"model"} makes the test a one-token chat completion instead of a model list. */
async function readTestModel(text: string): Promise<string | undefined> {
  if (text.trim().length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ValidationError('Malformed JSON in request body', { field: 'body' });
  }
  const checked = providerTestBodySchema.safeParse(parsed);
  if (!checked.success) throw toValidationError(checked.error);
  return checked.data.model;
}
