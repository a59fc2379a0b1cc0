import { Hono } from 'hono';
import { logPageSchema, logsQuerySchema } from '../api/logs.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import { ForbiddenError } from '../errors/api-error.ts';
import type { RequestLog } from '../logs/request-log.ts';
import { toLogRow } from '../logs/to-log-row.ts';
import { toValidationError } from '../middleware/validation.ts';
import { describeRoute, jsonAnswer } from '../openapi/describe-route.ts';
import type { ProviderService } from '../providers/provider-service.ts';

// GET /logs: the request log. The management token sees every caller's requests, an access key
// only its own (a `key` naming another key is refused, not quietly emptied).

const describeLogs = describeRoute({
  operationId: 'getLogs',
  summary: 'The request log, newest first',
  description:
    'One row per recorded request (chat, messages, responses, embeddings), in the order the ledger recorded them (when each finished), newest first. Metadata only: no prompt, no answer. Page with `before` = the previous page\'s `next`; requests that arrive meanwhile are never shown twice. The management token sees every caller\'s requests, an access key only its own.',
  tags: ['Usage'],
  request: { query: logsQuerySchema },
  responses: { 200: jsonAnswer('A page of rows, and where the next one starts.', logPageSchema) },
  // An access key that names another key.
  errors: [403],
});

export function logRoutes(dependencies: { requestLog: RequestLog; providers: ProviderService; guards: Guards }) {
  const { requestLog, providers, guards } = dependencies;
  return new Hono<AppEnv>().get('/logs', guards.managementOrAccessKey, describeLogs, async (c) => {
    const checked = logsQuerySchema.safeParse(c.req.query());
    if (!checked.success) throw toValidationError(checked.error);
    const { limit, before, key, provider, model, status } = checked.data;
    const caller = c.get('caller');
    let keyId: string | undefined = key;
    if (caller?.kind === 'access-key') {
      if (key !== undefined && key !== caller.key.id) throw new ForbiddenError('An access key sees only its own requests');
      keyId = caller.key.id;
    }
    // A provider by name, or by id (a deleted provider's id still finds its requests).
    const providerId = provider === undefined ? undefined : ((await providers.resolve(provider))?.id ?? provider);
    const page = await requestLog.page({
      limit,
      ...(before === undefined ? {} : { before }),
      ...(keyId === undefined ? {} : { keyId }),
      ...(providerId === undefined ? {} : { providerId }),
      ...(model === undefined ? {} : { model }),
      ...(status === undefined ? {} : { status }),
    });
    return c.json({ data: page.records.map(toLogRow), ...(page.next === undefined ? {} : { next: page.next }) });
  });
}
