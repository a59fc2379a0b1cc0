import { Hono } from 'hono';
import { usageQuerySchema, usageReportSchema } from '../api/usage.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import { ValidationError } from '../errors/api-error.ts';
import { toValidationError } from '../middleware/validation.ts';
import { describeRoute, jsonAnswer } from '../openapi/describe-route.ts';
import type { ProviderService } from '../providers/provider-service.ts';
import { ceilToHour, floorToHour, HOUR_MS, type UsageLedger } from '../storage/usage-ledger.ts';

// GET /usage: the management token sees every caller's usage, an access key only its own.

const DEFAULT_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

const describeUsage = describeRoute({
  operationId: 'getUsage',
  summary: 'Requests, tokens and cost, grouped and summed',
  description:
    'The management token sees every caller\'s usage, an access key only its own. Defaults: the last 30 days, one row. `from` and `to` are rounded out to whole hours; `day` is a UTC date. Rows grouped by provider also carry its name. `costUsd` sums what the requests cost in US dollars; requests whose model has no known price count as 0 there and in `unpricedRequests`.',
  tags: ['Usage'],
  request: { query: usageQuerySchema },
  responses: { 200: jsonAnswer('The rows, and the window they cover.', usageReportSchema) },
});

export function usageRoutes(dependencies: { usage: UsageLedger; providers: ProviderService; guards: Guards; now: () => number }) {
  const { usage, providers, guards, now } = dependencies;
  return new Hono<AppEnv>().get('/usage', guards.managementOrAccessKey, describeUsage, async (c) => {
    const checked = usageQuerySchema.safeParse(c.req.query());
    if (!checked.success) throw toValidationError(checked.error);
    // By default up to the end of the current hour, so what just happened is in.
    const to = checked.data.to === undefined ? floorToHour(now()) + HOUR_MS : ceilToHour(Date.parse(checked.data.to));
    const from = floorToHour(checked.data.from === undefined ? to - DEFAULT_WINDOW_MS : Date.parse(checked.data.from));
    if (from >= to) throw new ValidationError('from must be before to', { field: 'from' });
    const caller = c.get('caller');
    const data = await usage.query({
      from,
      to,
      groupBy: checked.data.groupBy,
      ...(caller?.kind === 'access-key' ? { keyId: caller.key.id } : {}),
    });
    // Names beside ids: an access key cannot list providers, and a UI shows names.
    const names = data.some((row) => row.provider !== undefined) ? new Map((await providers.list()).map((provider) => [provider.id, provider.name])) : new Map<string, string>();
    const named = data.map((row) => (row.provider !== undefined && names.has(row.provider) ? { ...row, providerName: names.get(row.provider) } : row));
    return c.json({ data: named, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  });
}
