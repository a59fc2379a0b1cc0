import type { UsageRecord } from '../storage/usage-ledger.ts';

// What the core reports for metrics. The Node adapter exposes it in Prometheus' format
// (src/adapter/node/prometheus-telemetry.ts); elsewhere it goes nowhere.

export interface Telemetry {
  /** Every answered request, by the route pattern that matched (`/api/v1/providers/:id`). */
  request(route: string, method: string, status: number): void;
  /** Every recorded chat completion; errorCode when it failed. */
  chat(record: UsageRecord, providerName: string, errorCode: string | undefined): void;
  streamOpened(): void;
  streamClosed(): void;
}

export const noTelemetry: Telemetry = {
  request() {},
  chat() {},
  streamOpened() {},
  streamClosed() {},
};
