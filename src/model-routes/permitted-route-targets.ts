import { mayUse, mayUseProvider, mayUseRoute } from '../access-keys/access-key-scope.ts';
import type { Caller } from '../auth/caller.ts';
import type { ChatTarget } from '../chat/chat-targets.ts';
import { ForbiddenError } from '../errors/api-error.ts';
import type { RoutedRequest } from './route-balancer.ts';

// What an access key may use of a route: its `models` patterns apply to the route's name (a key
// scoped to a route may use it, and no target directly), its `providers` to the targets (those
// outside are skipped, as fallbacks outside its scope are). The key's budget is reserved after
// this, as for any request (budgets/budget-guard.ts).

export function permittedRouteTargets(caller: Caller, routed: RoutedRequest, fallbacks: readonly ChatTarget[]): ChatTarget[] {
  if (caller.kind !== 'access-key') return [...routed.targets, ...fallbacks];
  const key = caller.key;
  if (!mayUseRoute(key, routed.route.name)) throw new ForbiddenError(`This access key may not use the route ${routed.route.name}`);
  const targets = routed.targets.filter((target) => mayUseProvider(key, target.provider.id));
  if (targets.length === 0) throw new ForbiddenError(`This access key may use none of the providers of the route ${routed.route.name}`);
  return [...targets, ...fallbacks.filter((target) => mayUse(key, target.provider, target.upstreamModel))];
}
