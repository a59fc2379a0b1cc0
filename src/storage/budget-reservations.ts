import type { UsageRecord } from './usage-ledger.ts';

// Reservations against an access key's budget, kept beside the usage ledger by every backend: a
// request reserves its worst case before it goes out, and the check (what the ledger holds for the
// period, plus what requests in flight hold, plus this request's worst case, against the budget)
// and the reservation are one atomic step, so concurrent requests, on one process or many, cannot
// together pass the budget. Settling records the request's real usage and drops its reservation
// in one step too, so no reader ever sees the spend counted twice or not at all. Reservations
// expire unless renewed: a crashed instance's do not hold the budget for ever.
//
// Two units: tokens, and dollars as whole nano-dollars (contract v1.2, "Cost"; integers, so sums
// are exact on every backend). Each backend stores a reservation's units side by side (a field, a
// table column) and checks each unit the budget sets, with "used" read from the ledger's sum of
// that unit.

export interface Spend {
  tokens: number;
  /** US dollars × 10⁹. */
  costNanos: number;
}

/** A budget's limits: a unit left out is not checked. */
export interface SpendLimit {
  tokens?: number;
  costNanos?: number;
}

/** Whether used + reserved + amount stays within every limit the budget sets. */
export function fitsWithin(limit: SpendLimit, used: Spend, reserved: Spend, amount: Spend): boolean {
  if (limit.tokens !== undefined && used.tokens + reserved.tokens + amount.tokens > limit.tokens) return false;
  if (limit.costNanos !== undefined && used.costNanos + reserved.costNanos + amount.costNanos > limit.costNanos) return false;
  return true;
}

export interface ReservationRequest {
  /** Unique per request; settle, renew and release name it. */
  id: string;
  keyId: string;
  /** Where the budget's current period began (epoch ms, a whole hour): the ledger's spend since then is "used". */
  since: number;
  /** The budget: the most `used + reserved + amount` may come to, per unit it sets. */
  limit: SpendLimit;
  /** This request's worst case. */
  amount: Spend;
  /** The caller's clock: reservations that expired by then no longer count (and are dropped). */
  now: number;
  /** When this reservation lapses unless renewed. */
  expiresAt: number;
}

export interface ReservationOutcome {
  granted: boolean;
  /** What the ledger held for the period when the check ran. */
  used: Spend;
  /** What other requests in flight held then, this one not included. */
  reserved: Spend;
}

export interface BudgetReservations {
  /** Grants the reservation when used + reserved + amount stays within the limit, in one atomic step with the check. */
  reserve(request: ReservationRequest): Promise<ReservationOutcome>;
  /** Moves a held reservation's expiry (now: the caller's clock); nothing when it is gone (settled, released or expired). */
  renew(keyId: string, id: string, now: number, expiresAt: number): Promise<void>;
  /** Records what the request really spent and drops its reservation, as one step: both happen or neither. */
  settle(keyId: string, id: string, entry: UsageRecord): Promise<void>;
  /** Drops the reservation without recording anything. */
  release(keyId: string, id: string): Promise<void>;
}
