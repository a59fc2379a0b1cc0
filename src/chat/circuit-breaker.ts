import type { CircuitState } from '../api/providers.ts';
import { ApiError } from '../errors/api-error.ts';

// One circuit per provider, in this process (or isolate): after FAILURE_THRESHOLD failures in a
// row it opens for OPEN_MS, during which fallback chains skip the provider; then one request is
// let through ("half-open"): its success closes the circuit, its failure opens it for another
// OPEN_MS. A request whose every target is open gets the last error of the last one at once.
// Kept in memory on purpose: it is a fast local reaction to what this process sees, and a
// shared one would make every request pay a storage round trip for it.

export const FAILURE_THRESHOLD = 5;
export const OPEN_MS = 30_000;

interface Circuit {
  failures: number;
  openedAt: number | null;
  trialInFlight: boolean;
  lastError: ApiError | null;
}

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;

export function createCircuitBreaker(now: () => number) {
  const circuits = new Map<string, Circuit>();
  const circuitOf = (providerId: string) => {
    let circuit = circuits.get(providerId);
    if (!circuit) {
      circuit = { failures: 0, openedAt: null, trialInFlight: false, lastError: null };
      circuits.set(providerId, circuit);
    }
    return circuit;
  };

  function state(providerId: string): CircuitState {
    const circuit = circuits.get(providerId);
    if (!circuit || circuit.openedAt === null) return 'closed';
    return now() - circuit.openedAt >= OPEN_MS && !circuit.trialInFlight ? 'half-open' : 'open';
  }

  return {
    state,

    /** Whether a request may go to this provider now; taking the half-open trial reserves it. */
    tryAcquire(providerId: string): boolean {
      const current = state(providerId);
      if (current === 'closed') return true;
      if (current === 'open') return false;
      circuitOf(providerId).trialInFlight = true;
      return true;
    },

    /** The provider answered (even with an error of the request's own making). */
    recordSuccess(providerId: string): void {
      if (circuits.has(providerId)) circuits.delete(providerId);
    },

    recordFailure(providerId: string, error: ApiError): void {
      const circuit = circuitOf(providerId);
      circuit.failures++;
      circuit.lastError = error;
      if (circuit.trialInFlight || circuit.failures >= FAILURE_THRESHOLD) circuit.openedAt = now();
      circuit.trialInFlight = false;
    },

    /** The attempt ended with neither answer nor failure (the client left): free the trial. */
    abandon(providerId: string): void {
      const circuit = circuits.get(providerId);
      if (circuit) circuit.trialInFlight = false;
    },

    /** What a request that finds the circuit open is told: the provider's last failure. */
    openError(providerId: string): ApiError {
      const last = circuits.get(providerId)?.lastError;
      const details = { ...last?.details, circuit: 'open' };
      return last
        ? new ApiError(last.status, last.code, last.message, details, last.headers)
        : new ApiError(502, 'PROVIDER_ERROR', 'The provider is failing and is skipped for now', details);
    },
  };
}
