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
  description: 'Rows in the order the ledger recorded them (when each request finished), newest first; metadata only. `before`: the previous page\'s `next`; `key`: an access key\'s id; `provider`: a provider\'s id or name; `model`: the upstream model; `status`: `ok` or `error`. An access key sees only its own requests.',
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
    const { key, provider, ...filters } = checked.data;
    const caller = c.get('caller');
    const own = caller?.kind === 'access-key' ? caller.key.id : undefined;
    if (own !== undefined && key !== undefined && key !== own) throw new ForbiddenError('An access key sees only its own requests');
    const page = await requestLog.page({
      ...filters,
      keyId: own ?? key,
      // A provider by name, or by id (a deleted provider's id still finds its requests).
      providerId: provider && ((await providers.resolve(provider))?.id ?? provider),
    });
    return c.json({ data: page.records.map(toLogRow), next: page.next });
  });
}
