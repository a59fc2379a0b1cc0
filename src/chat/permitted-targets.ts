import { mayUse } from '../access-keys/access-key-scope.ts';
import type { AccessKeyService } from '../access-keys/access-key-service.ts';
import type { Caller } from '../auth/caller.ts';
import { ForbiddenError } from '../errors/api-error.ts';
import type { ChatTarget } from './chat-targets.ts';

// What a caller may use of the targets a request named, decided before anything is sent: an
// access key must have the first in its scope (else 403) and budget left (else 429); fallbacks
// outside its scope are skipped. Other callers may use them all.

export async function permittedTargets(accessKeys: AccessKeyService, caller: Caller, targets: ChatTarget[]): Promise<ChatTarget[]> {
  if (caller.kind !== 'access-key') return targets;
  const key = caller.key;
  const [first] = targets;
  if (!mayUse(key, first!.provider, first!.upstreamModel)) {
    throw new ForbiddenError(`This access key may not use ${first!.provider.name}/${first!.upstreamModel}`);
  }
  await accessKeys.assertWithinBudget(key);
  return targets.filter((target) => mayUse(key, target.provider, target.upstreamModel));
}
