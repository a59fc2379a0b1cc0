import type { StoredAccessKey } from '../storage/access-key-store.ts';

// Who is calling, decided once per request from its bearer token. The guards on each route say
// which kinds may call it.
//
// - management: ADMIN_TOKEN, or API_AUTH_TOKEN when no ADMIN_TOKEN is set, or anyone on a server
//   that runs open (loopback without tokens);
// - client: API_AUTH_TOKEN when an ADMIN_TOKEN is set too (or anyone, on an open server that
//   has only an ADMIN_TOKEN);
// - access-key: a `gwk_` key, with its scope and limits.

export type Caller =
  | { kind: 'management' }
  | { kind: 'client' }
  | { kind: 'access-key'; key: StoredAccessKey };

export type CallerKind = Caller['kind'];

/** The response cache and the usage ledger keep callers apart by this: a key id, or null for a token. */
export function callerKeyId(caller: Caller): string | null {
  return caller.kind === 'access-key' ? caller.key.id : null;
}
