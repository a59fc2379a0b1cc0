// The outbound policy for user-supplied upstream base URLs, and the one decision every check makes
// with it. The jobs around it each have a file: parse-upstream-policy.ts reads the setting (once,
// in the config schema), classify-address.ts and classify-host.ts say what an address or a host
// name is, check-upstream-url.ts checks a base URL before any connection, and
// check-resolved-address.ts checks what DNS returned at connect time (Node's guarded lookup).
// Web-standard only: this runs on Node and on Workers.

export interface UpstreamPolicy {
  /** ALLOW_PRIVATE_UPSTREAMS=true: loopback/private/link-local/etc. allowed (never cloud metadata). */
  allowPrivate: boolean;
  /** ALLOW_PRIVATE_UPSTREAMS as a comma list of host:port: only these private endpoints are allowed. Entries normalised lowercase, IPv6 in brackets, e.g. "127.0.0.1:11434", "[::1]:8000", "ollama.local:11434". */
  allowedEndpoints: ReadonlySet<string>;
}

export type AddressClass = 'public' | 'private' | 'metadata';

const rank: Record<AddressClass, number> = { public: 0, private: 1, metadata: 2 };

/** The more restricted of two classes. */
export const worstOf = (a: AddressClass, b: AddressClass): AddressClass => (rank[a] >= rank[b] ? a : b);

/**
 * Metadata never; public always; private when the policy allows private upstreams or lists this
 * host:port. With no port known (a connect-time lookup), any entry for the host matches: the URL
 * check has already held the port to the list.
 */
export function isAllowedBy(policy: UpstreamPolicy, addressClass: AddressClass, host: string, port: number | null): boolean {
  if (addressClass === 'metadata') return false;
  if (addressClass === 'public' || policy.allowPrivate) return true;
  if (port !== null) return policy.allowedEndpoints.has(`${host}:${port}`);
  for (const entry of policy.allowedEndpoints) {
    if (entry.slice(0, entry.lastIndexOf(':')) === host) return true;
  }
  return false;
}
