import { mayUse } from '../access-keys/access-key-scope.ts';
import type { Caller } from '../auth/caller.ts';
import { ForbiddenError } from '../errors/api-error.ts';
import type { ChatTarget } from './chat-targets.ts';

// What a caller may use of the targets a request named, decided before anything is sent: an
// access key must have the first in its scope (else 403); fallbacks outside its scope are skipped.
// Other callers may use them all. The key's budget is reserved after this (budgets/budget-guard.ts).

export function permittedTargets(caller: Caller, targets: ChatTarget[]): ChatTarget[] {
  if (caller.kind !== 'access-key') return targets;
  const key = caller.key;
  const [first] = targets;
  if (!mayUse(key, first!.provider, first!.upstreamModel)) {
    throw new ForbiddenError(`This access key may not use ${first!.provider.name}/${first!.upstreamModel}`);
  }
  return targets.filter((target) => mayUse(key, target.provider, target.upstreamModel));
}
