import type { Caller } from '../auth/caller.ts';
import { budgetPeriodStart } from '../access-keys/budget-period.ts';
import { QuotaExceededError } from '../errors/api-error.ts';
import type { BudgetReservations } from '../storage/budget-reservations.ts';
import type { UsageLedger, UsageRecord } from '../storage/usage-ledger.ts';
import { worstCaseTokens, type WorstCaseTokens } from './worst-case-tokens.ts';

// Access-key budgets on the chat path. Before a request of a key with a budget goes out, its worst
// case (worst-case-tokens.ts) is reserved against the budget: granted only when what the period's
// records hold, plus what the key's other requests in flight hold, plus this worst case, stays
// within the budget, all checked and reserved in one atomic step by the storage backend, so
// concurrent requests, on one process or many, cannot together pass it. The request then settles
// to its real usage (the record is written and the reservation dropped in one step), or releases
// the reservation when it ends without a record. While it runs, the reservation is renewed; one
// whose process died lapses after RESERVATION_LEASE_MS.
//
// Callers without a budget (the shared tokens, keys without one) get a reservation that only
// records.

/** How long a reservation holds without being renewed. */
export const RESERVATION_LEASE_MS = 120_000;
/** Renewed this often while its request runs: a few renewals may fail before it lapses. */
const RENEW_EVERY_MS = RESERVATION_LEASE_MS / 4;

export interface Reservation {
  /** Records what the request spent and ends the reservation. */
  settle(entry: UsageRecord): Promise<void>;
  /** Ends the reservation with nothing recorded. Does nothing once settled. */
  release(): Promise<void>;
}

export interface BudgetGuardOptions {
  reservations: BudgetReservations;
  usage: UsageLedger;
  now: () => number;
  newId: () => string;
}

export type BudgetGuard = ReturnType<typeof createBudgetGuard>;

export function createBudgetGuard(options: BudgetGuardOptions) {
  const { reservations, usage, now, newId } = options;
  const unreserved: Reservation = { settle: (entry) => usage.record(entry), release: async () => undefined };

  return {
    /** The caller's reservation for this request body; QuotaExceededError when its worst case does not fit. */
    async reserve(caller: Caller, body: Record<string, unknown>, worstCase: (body: Record<string, unknown>) => WorstCaseTokens = worstCaseTokens): Promise<Reservation> {
      if (caller.kind !== 'access-key' || caller.key.budget === null) return unreserved;
      const { id: keyId, budget } = caller.key;
      const worst = worstCase(body);
      const id = newId();
      const reservedAt = now();
      const outcome = await reservations.reserve({
        id,
        keyId,
        since: budgetPeriodStart(budget.period, reservedAt),
        limit: { tokens: budget.tokens },
        amount: { tokens: worst.total },
        now: reservedAt,
        expiresAt: reservedAt + RESERVATION_LEASE_MS,
      });
      if (!outcome.granted) {
        const left = Math.max(0, budget.tokens - outcome.used.tokens - outcome.reserved.tokens);
        const period = budget.period === 'total' ? 'whole of its life' : budget.period;
        throw new QuotaExceededError(
          `This access key's budget of ${budget.tokens} tokens for the ${period} has ${left} left (${outcome.used.tokens} used, ${outcome.reserved.tokens} held by requests in flight); this request may cost up to ${worst.total} (${worst.completion} for its answer, from its max_tokens or the default, and about ${worst.prompt} for its prompt)`,
          { budget, used: outcome.used.tokens, reserved: outcome.reserved.tokens, requested: worst.total },
        );
      }
      // A failed renewal only shortens the hold; the next one tries again.
      const renewal = setInterval(() => {
        const at = now();
        reservations.renew(keyId, id, at, at + RESERVATION_LEASE_MS).catch(() => undefined);
      }, RENEW_EVERY_MS);
      (renewal as { unref?: () => void }).unref?.();
      let ended = false;
      const end = () => {
        const first = !ended;
        ended = true;
        clearInterval(renewal);
        return first;
      };
      return {
        async settle(entry) {
          if (end()) await reservations.settle(keyId, id, entry);
          else await usage.record(entry);
        },
        async release() {
          if (end()) await reservations.release(keyId, id);
        },
      };
    },
  };
}
