// Each route target's recent time to first token, for the `lowest-latency` strategy: an
// exponentially weighted moving average of its samples (each new one counts for ALPHA, so one
// slow answer moves it, and one outlier does not take over). A measurement older than STALE_MS
// no longer says how the target is doing now: the target is tried again as if it were new, and
// that sample starts a fresh average. So a target that was slow and is fast again wins its share
// back within STALE_MS, at the cost of one request to each slow target per STALE_MS.
// Kept in this process's memory, like the circuit breaker: it measures what this process sees.

export const LATENCY_ALPHA = 0.3;
export const STALE_MS = 60_000;

interface Measurement {
  averageMs: number;
  measuredAt: number;
}

export interface LatencyView {
  /** The average, or null when there is none recent enough to go by. */
  recentMs: number | null;
  /** A measurement, however old: what to rank by while a probe is out. */
  lastKnownMs: number | null;
  /** A request is already finding out (the target was untried or stale when it was picked). */
  probing: boolean;
}

export type TargetLatency = ReturnType<typeof createTargetLatency>;

export function createTargetLatency(now: () => number) {
  const measurements = new Map<string, Measurement>();
  const probes = new Set<string>();

  return {
    view(target: string): LatencyView {
      const measurement = measurements.get(target);
      const fresh = measurement !== undefined && now() - measurement.measuredAt < STALE_MS;
      return { recentMs: fresh ? measurement.averageMs : null, lastKnownMs: measurement?.averageMs ?? null, probing: probes.has(target) };
    },

    /** The request picked a target with no recent measurement: the next ones wait for its answer. */
    probe(target: string): void {
      probes.add(target);
    },

    /** The probe (or any request) ended without a sample. */
    release(target: string): void {
      probes.delete(target);
    },

    observe(target: string, sampleMs: number): void {
      probes.delete(target);
      const measurement = measurements.get(target);
      const at = now();
      const averageMs = measurement === undefined || at - measurement.measuredAt >= STALE_MS ? sampleMs : measurement.averageMs + LATENCY_ALPHA * (sampleMs - measurement.averageMs);
      measurements.set(target, { averageMs, measuredAt: at });
    },
  };
}
