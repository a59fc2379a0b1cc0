// Stored Responses API answers (POST /responses unless `store: false`): opaque text under the
// response's id, kept for ttlSeconds. The responses service wraps each value with its owner and
// expiry and checks both against its clock, so every backend behaves alike; ttlSeconds lets a
// backend drop the entry itself (a file's expiry on Node, KV's expirationTtl on Workers, Redis EX).

export interface ResponseStore {
  get(id: string): Promise<string | null>;
  put(id: string, value: string, ttlSeconds: number): Promise<void>;
  /** Whether there was anything to remove. */
  delete(id: string): Promise<boolean>;
}
