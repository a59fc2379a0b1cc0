import type { BudgetReservations } from '../../storage/budget-reservations.ts';
import { ledgerCalls } from './durable-object-usage-ledger.ts';
import type { UsageLedgerNamespace } from './worker-bindings.ts';

// Budget reservations over RPC to the UsageLedgerObject, which keeps them beside the records they
// are checked against and runs each call as one atomic step (usage-ledger-object.ts).

export function createDurableObjectBudgetReservations(namespace: UsageLedgerNamespace): BudgetReservations {
  const call = ledgerCalls(namespace);
  return {
    reserve: (request) => call((ledger) => ledger.reserve(request)),
    renew: (keyId, id, now, expiresAt) => call((ledger) => ledger.renew(keyId, id, now, expiresAt)),
    settle: (keyId, id, entry) => call((ledger) => ledger.settle(keyId, id, entry)),
    release: (keyId, id) => call((ledger) => ledger.release(keyId, id)),
  };
}
