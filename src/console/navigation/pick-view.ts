import type { Permissions } from '../session/permissions-of.ts';

// Which view a path opens for this caller: the one it names if the caller may use it, else the
// first the caller may use (a view it may not use is never shown, even by its URL).

export interface ViewEntry {
  path: string;
  allowed(permissions: Permissions): boolean;
}

export function pickView<V extends ViewEntry>(views: readonly V[], path: string, permissions: Permissions): V {
  const usable = views.filter((view) => view.allowed(permissions));
  return usable.find((view) => view.path === path) ?? usable[0]!;
}
