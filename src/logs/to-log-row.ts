import type { LogRow } from '../api/logs.ts';
import type { UsageRecord } from '../storage/usage-ledger.ts';
import { logStatusOf, type LoggedRecord } from './request-log.ts';

// One usage record as a row of GET /logs. The fields other features add to the ledger (a route's
// name, cost and token kinds) are read here when a record has them, and null or absent until then.

type RecordWithExtras = UsageRecord & {
  routeName?: string | null;
  cachedPromptTokens?: number;
  reasoningTokens?: number;
  costUsd?: number | null;
};

export function toLogRow({ record, position }: LoggedRecord): LogRow {
  const entry = record as RecordWithExtras;
  const status = logStatusOf(entry.outcome);
  const errorCode = entry.errorCode ?? (typeof entry.outcome === 'string' ? entry.outcome : entry.outcome === 499 ? 'CLIENT_CLOSED' : undefined);
  return {
    id: entry.id ?? position,
    time: new Date(entry.time).toISOString(),
    requestId: entry.requestId ?? null,
    route: entry.route ?? 'chat',
    keyId: entry.keyId,
    providerId: entry.providerId,
    model: entry.model,
    ...(entry.routeName ? { routeName: entry.routeName } : {}),
    stream: entry.stream ?? false,
    status,
    ...(status === 'error' && errorCode !== undefined ? { errorCode } : {}),
    latencyMs: Math.round(entry.latencyMs),
    ttftMs: entry.timeToFirstTokenMs === null ? null : Math.round(entry.timeToFirstTokenMs),
    promptTokens: entry.promptTokens,
    completionTokens: entry.completionTokens,
    cachedPromptTokens: entry.cachedPromptTokens ?? null,
    reasoningTokens: entry.reasoningTokens ?? null,
    costUsd: entry.costUsd ?? null,
    cache: entry.cacheStatus ?? (entry.cached ? 'HIT' : null),
  };
}
