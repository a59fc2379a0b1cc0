import type { Reservation } from '../budgets/budget-guard.ts';
import type { Logger } from '../logging/logger.ts';
import type { UsageRecord } from '../storage/usage-ledger.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';

// One usage record per answered request (chat in every dialect, embeddings): the ledger that
// GET /usage and the budgets read, and the metrics. The record settles the request's budget
// reservation (budgets/budget-guard.ts). Awaited before the answer is complete, so the next
// request of the same key sees it; a failure to record is logged, never the client's error.

export type RecordUsage = (reservation: Reservation, entry: UsageRecord, providerName: string, errorCode?: string) => Promise<void>;

export function createUsageRecorder(telemetry: Telemetry, logger: Logger): RecordUsage {
  return async (reservation, entry, providerName, errorCode) => {
    telemetry.chat(entry, providerName, errorCode);
    try {
      await reservation.settle(entry);
    } catch (error) {
      logger.error('usage record failed', { providerId: entry.providerId, error: error instanceof Error ? error.message : 'unknown' });
    }
  };
}
