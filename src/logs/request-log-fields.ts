import type { LogRoute } from '../api/logs.ts';
import type { UsageRecord } from '../storage/usage-ledger.ts';

// What a usage record holds for the request log besides its usage: set by whoever records it
// (the chat exchange in every dialect, embeddings).

export interface LoggedRequest {
  requestId: string | undefined;
  route: LogRoute;
  stream: boolean;
  /** The response cache for this request: off (undefined), or whether it skipped reading it. */
  cache: { bypass: boolean } | undefined;
}

export function requestLogFields(request: LoggedRequest, cached: boolean, errorCode: string | undefined): Pick<UsageRecord, 'id' | 'requestId' | 'route' | 'stream' | 'cacheStatus' | 'errorCode'> {
  return {
    id: crypto.randomUUID(),
    ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
    route: request.route,
    stream: request.stream,
    cacheStatus: cached ? 'HIT' : request.cache === undefined ? null : request.cache.bypass ? 'BYPASS' : 'MISS',
    ...(errorCode === undefined ? {} : { errorCode }),
  };
}
