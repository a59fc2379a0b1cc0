import type { UsageLedger } from '../../storage/usage-ledger.ts';
import type { UsageLedgerNamespace } from './worker-bindings.ts';

// The UsageLedger interface over RPC to the one UsageLedgerObject of the deployment.

export function createDurableObjectUsageLedger(namespace: UsageLedgerNamespace): UsageLedger {
  const ledger = () => namespace.get(namespace.idFromName('ledger'));
  return {
    record: (entry) => ledger().record(entry),
    query: (selection) => ledger().query(selection),
    tokensSince: (keyId, since) => ledger().tokensSince(keyId, since),
    lastUsed: async () => new Map(await ledger().lastUsed()),
  };
}
