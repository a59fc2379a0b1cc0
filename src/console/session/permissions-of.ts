import type { Session } from 'llm-gateway-client';

// What the connected caller may do, from GET /session, in the console's terms. Each view and
// each control asks this instead of trying and showing the gateway's refusal. It mirrors the
// guards the routes declare (src/auth/guards.ts): admin everything; the client token reads and
// checks providers, chats and lists models; an access key chats within its scope and reads its
// own usage.

export interface Permissions {
  /** Add, edit, delete, import and test providers; refresh their model lists. */
  manageProviders: boolean;
  /** List providers, check them and read their model lists. */
  readProviders: boolean;
  /** Create, edit, disable and delete access keys. */
  manageKeys: boolean;
  /** Create, edit and delete routes (one model name for several targets). */
  manageRoutes: boolean;
  /** Everyone's usage (by provider, model and key), or only the caller's own. */
  usage: 'all' | 'own' | 'none';
  /** An access key: its own scopes, limits and budget (read only). */
  ownKey: boolean;
}

export function permissionsOf(session: Session): Permissions {
  switch (session.role) {
    case 'admin':
      return { manageProviders: true, readProviders: true, manageKeys: true, manageRoutes: true, usage: 'all', ownKey: false };
    case 'client':
      return { manageProviders: false, readProviders: true, manageKeys: false, manageRoutes: false, usage: 'none', ownKey: false };
    case 'access-key':
      return { manageProviders: false, readProviders: false, manageKeys: false, manageRoutes: false, usage: 'own', ownKey: true };
  }
}

/** Who the console is connected as, in words. */
export function describeCaller(session: Session): string {
  switch (session.role) {
    case 'admin':
      return 'Admin';
    case 'client':
      return 'Client token';
    case 'access-key':
      return `Access key ${session.keyName ?? ''}`.trim();
  }
}
