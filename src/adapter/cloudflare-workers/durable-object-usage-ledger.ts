import { StorageUnavailableError } from '../../errors/api-error.ts';
import type { UsageLedger } from '../../storage/usage-ledger.ts';
import type { UsageLedgerNamespace, UsageLedgerStub } from './worker-bindings.ts';

// The UsageLedger interface over RPC to the one UsageLedgerObject of the deployment. A failed or refused call is the store being unavailable (503), never an internal
// error: a budget that cannot be read refuses the request rather than letting it through unchecked.

/** Runs one call on the deployment's ledger object; any failure is StorageUnavailableError. */
export function ledgerCalls(namespace: UsageLedgerNamespace) {
  const ledger = () => namespace.get(namespace.idFromName('ledger'));
  return async <T>(run: (stub: UsageLedgerStub) => Promise<T>): Promise<T> => {
    try {
      return await run(ledger());
    } catch {
      throw new StorageUnavailableError('The usage ledger cannot be reached; try again shortly');
    }
  };
}

export function createDurableObjectUsageLedger(namespace: UsageLedgerNamespace): UsageLedger {
  const call = ledgerCalls(namespace);
  return {
    record: (entry) => call((ledger) => ledger.record(entry)),
    query: (selection) => call((ledger) => ledger.query(selection)),
    tokensSince: (keyId, since) => call((ledger) => ledger.tokensSince(keyId, since)),
    costSince: (keyId, since) => call((ledger) => ledger.costSince(keyId, since)),
    lastUsed: async () => new Map(await call((ledger) => ledger.lastUsed())),
  };
}
