import type { Logger } from '../logging/logger.ts';
import type { UsageLedger, UsageRecord } from '../storage/usage-ledger.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';

// One usage record per answered request (chat in every dialect, embeddings): the ledger that
// GET /usage and the budgets read, and the metrics. Awaited before the answer is complete, so the
// next request of the same key sees it (its budget); a failure to record is logged, never the
// client's error.

export type RecordUsage = (entry: UsageRecord, providerName: string, errorCode?: string) => Promise<void>;

export function createUsageRecorder(usage: UsageLedger, telemetry: Telemetry, logger: Logger): RecordUsage {
  return async (entry, providerName, errorCode) => {
    telemetry.chat(entry, providerName, errorCode);
    try {
      await usage.record(entry);
    } catch (error) {
      logger.error('usage record failed', { providerId: entry.providerId, error: error instanceof Error ? error.message : 'unknown' });
    }
  };
}
