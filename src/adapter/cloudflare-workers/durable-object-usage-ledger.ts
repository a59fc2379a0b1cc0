import { StorageUnavailableError } from '../../errors/api-error.ts';
import type { UsageLedger } from '../../storage/usage-ledger.ts';
import type { UsageLedgerNamespace } from './worker-bindings.ts';

// The UsageLedger interface over RPC to the one UsageLedgerObject of the deployment. A failed or
// refused call is the store being unavailable (503), never an internal error: a budget that cannot
// be read refuses the request rather than letting it through unchecked.

export function createDurableObjectUsageLedger(namespace: UsageLedgerNamespace): UsageLedger {
  const ledger = () => namespace.get(namespace.idFromName('ledger'));
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch {
      throw new StorageUnavailableError('The usage ledger cannot be reached; try again shortly');
    }
  };
  return {
    record: (entry) => call(() => ledger().record(entry)),
    query: (selection) => call(() => ledger().query(selection)),
    tokensSince: (keyId, since) => call(() => ledger().tokensSince(keyId, since)),
    costSince: (keyId, since) => call(() => ledger().costSince(keyId, since)),
    lastUsed: async () => new Map(await call(() => ledger().lastUsed())),
  };
}
