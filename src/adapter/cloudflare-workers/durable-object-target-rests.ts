import type { TargetRestStore } from '../../storage/target-rest-store.ts';
import type { TargetRestsNamespace } from './worker-bindings.ts';

// The TargetRestStore over RPC to the one TargetRestsObject of the deployment (target-rests-object.ts).

export function createDurableObjectTargetRests(namespace: TargetRestsNamespace): TargetRestStore {
  const rests = () => namespace.get(namespace.idFromName('rests'));
  return {
    restingUntil: async (targets) => new Map(targets.length === 0 ? [] : await rests().restingUntil([...targets])),
    rest: (target, until, forMs) => rests().rest(target, until, forMs),
  };
}
