import { cacheStatuses } from '../api/gateway-headers.ts';
import { logRoutes } from '../api/logs.ts';
import type { UsageRecord } from '../storage/usage-ledger.ts';

type LogFields = Pick<UsageRecord, 'id' | 'requestId' | 'route' | 'stream' | 'cacheStatus' | 'errorCode'>;

// The request log's fields of a usage record, from a stored form that may hold anything (a line
// of a month file, a Redis stream entry): what is well formed is kept, the rest left out, so a
// record written before the request log existed reads as one without them.

export function logFieldsOf(stored: Record<string, unknown>): LogFields {
  const fields: LogFields = {};
  if (typeof stored.id === 'string') fields.id = stored.id;
  if (typeof stored.requestId === 'string') fields.requestId = stored.requestId;
  if ((logRoutes as readonly unknown[]).includes(stored.route)) fields.route = stored.route as LogFields['route'];
  if (typeof stored.stream === 'boolean') fields.stream = stored.stream;
  if (stored.cacheStatus === null || (cacheStatuses as readonly unknown[]).includes(stored.cacheStatus)) fields.cacheStatus = stored.cacheStatus as LogFields['cacheStatus'];
  if (typeof stored.errorCode === 'string') fields.errorCode = stored.errorCode;
  return fields;
}
