import type { Caller } from '../auth/caller.ts';
import { budgetPeriodStart } from '../access-keys/budget-period.ts';
import { NANO_USD_PER_USD } from '../cost/price-tokens.ts';
import { QuotaExceededError } from '../errors/api-error.ts';
import type { BudgetReservations, Spend, SpendLimit } from '../storage/budget-reservations.ts';
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
// A budget in dollars is held the same way, in nano-dollars: the worst case priced at the rates
// of the models the request may be served by (price-worst-case.ts), against the cost the ledger
// holds for the period. Either limit the budget sets refuses the request when it would be passed.
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
    /**
     * The caller's reservation for this request body; QuotaExceededError when its worst case does
     * not fit. `priceWorstCase` gives the worst case in nano-dollars, asked only for a dollar budget.
     */
    async reserve(
      caller: Caller,
      body: Record<string, unknown>,
      worstCase: (body: Record<string, unknown>) => WorstCaseTokens = worstCaseTokens,
      priceWorstCase?: (worst: WorstCaseTokens, at: number) => Promise<number>,
    ): Promise<Reservation> {
      if (caller.kind !== 'access-key' || caller.key.budget === null) return unreserved;
      const { id: keyId, budget } = caller.key;
      const worst = worstCase(body);
      const id = newId();
      const reservedAt = now();
      const limit: SpendLimit = {};
      if (budget.tokens !== undefined) limit.tokens = budget.tokens;
      if (budget.usd !== undefined) limit.costNanos = Math.round(budget.usd * NANO_USD_PER_USD);
      const amount: Spend = { tokens: worst.total, costNanos: limit.costNanos !== undefined && priceWorstCase ? await priceWorstCase(worst, reservedAt) : 0 };
      const outcome = await reservations.reserve({
        id,
        keyId,
        since: budgetPeriodStart(budget.period, reservedAt),
        limit,
        amount,
        now: reservedAt,
        expiresAt: reservedAt + RESERVATION_LEASE_MS,
      });
      if (!outcome.granted) throw refusal(budget, limit, outcome.used, outcome.reserved, amount, worst);
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

const usd = (nanos: number) => nanos / NANO_USD_PER_USD;
const dollars = (nanos: number) => `$${usd(nanos).toFixed(nanos % 10_000_000 === 0 ? 2 : 6)}`;

/** Says which limit the request would pass, with what is used, held and asked for in that unit. */
function refusal(budget: NonNullable<Extract<Caller, { kind: 'access-key' }>['key']['budget']>, limit: SpendLimit, used: Spend, reserved: Spend, amount: Spend, worst: WorstCaseTokens): QuotaExceededError {
  const period = budget.period === 'total' ? 'whole of its life' : budget.period;
  const details = { budget, used: used.tokens, reserved: reserved.tokens, requested: amount.tokens, usedUsd: usd(used.costNanos), reservedUsd: usd(reserved.costNanos), requestedUsd: usd(amount.costNanos) };
  if (limit.tokens !== undefined && used.tokens + reserved.tokens + amount.tokens > limit.tokens) {
    const left = Math.max(0, limit.tokens - used.tokens - reserved.tokens);
    return new QuotaExceededError(
      `This access key's budget of ${limit.tokens} tokens for the ${period} has ${left} left (${used.tokens} used, ${reserved.tokens} held by requests in flight); this request may cost up to ${worst.total} (${worst.completion} for its answer, from its max_tokens or the default, and about ${worst.prompt} for its prompt)`,
      details,
    );
  }
  const left = Math.max(0, (limit.costNanos ?? 0) - used.costNanos - reserved.costNanos);
  return new QuotaExceededError(
    `This access key's budget of ${dollars(limit.costNanos ?? 0)} for the ${period} has ${dollars(left)} left (${dollars(used.costNanos)} used, ${dollars(reserved.costNanos)} held by requests in flight); this request may cost up to ${dollars(amount.costNanos)} (${worst.completion} tokens for its answer, from its max_tokens or the default, and about ${worst.prompt} for its prompt, at its model's prices)`,
    details,
  );
}
