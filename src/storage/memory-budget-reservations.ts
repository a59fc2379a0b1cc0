import { fitsWithin, type BudgetReservations } from './budget-reservations.ts';
import { NANO_USD_PER_USD } from '../cost/price-tokens.ts';
import type { UsageLedger } from './usage-ledger.ts';

// Budget reservations in the memory of the one process that owns the data folder (the JSON-file
// backend: the folder's lock keeps every other process out), over that process's usage ledger.
// A key's reserve and settle calls run one after another, so no settle can land between a
// reserve's reading of the ledger and its check of the reservations held: the sum it checks is
// always one that existed. Releases and renewals only ever lower or extend what is held, and run
// at once.

interface Held {
  tokens: number;
  costNanos: number;
  expiresAt: number;
}

export function createMemoryBudgetReservations(usage: UsageLedger): BudgetReservations {
  const heldByKey = new Map<string, Map<string, Held>>();
  const queues = new Map<string, Promise<unknown>>();

  function oneAtATime<T>(keyId: string, task: () => Promise<T>): Promise<T> {
    const run = (queues.get(keyId) ?? Promise.resolve()).then(task, task);
    const tail = run.catch(() => undefined);
    queues.set(keyId, tail);
    void tail.then(() => {
      if (queues.get(keyId) === tail) queues.delete(keyId);
    });
    return run;
  }

  function drop(keyId: string, id: string): void {
    const held = heldByKey.get(keyId);
    held?.delete(id);
    if (held?.size === 0) heldByKey.delete(keyId);
  }

  return {
    reserve(request) {
      return oneAtATime(request.keyId, async () => {
        const [tokens, usd] = await Promise.all([usage.tokensSince(request.keyId, request.since), usage.costSince(request.keyId, request.since)]);
        const used = { tokens, costNanos: Math.round(usd * NANO_USD_PER_USD) };
        const held = heldByKey.get(request.keyId) ?? new Map<string, Held>();
        const reserved = { tokens: 0, costNanos: 0 };
        for (const [id, reservation] of held) {
          if (reservation.expiresAt <= request.now) held.delete(id);
          else {
            reserved.tokens += reservation.tokens;
            reserved.costNanos += reservation.costNanos;
          }
        }
        const outcome = { used, reserved };
        if (!fitsWithin(request.limit, used, reserved, request.amount)) return { granted: false, ...outcome };
        held.set(request.id, { ...request.amount, expiresAt: request.expiresAt });
        heldByKey.set(request.keyId, held);
        return { granted: true, ...outcome };
      });
    },
    async renew(keyId, id, _now, expiresAt) {
      const reservation = heldByKey.get(keyId)?.get(id);
      if (reservation) reservation.expiresAt = expiresAt;
    },
    settle(keyId, id, entry) {
      return oneAtATime(keyId, async () => {
        // Only once the record is in: a failed record leaves the reservation to expire, never the spend uncounted.
        await usage.record(entry);
        drop(keyId, id);
      });
    },
    async release(keyId, id) {
      drop(keyId, id);
    },
  };
}
