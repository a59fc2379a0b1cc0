// Answers kept for the opt-in response cache, as opaque text under a key the chat service
// derives (a hash of the caller, the provider, the model and the request). The service wraps each
// value with its own expiry and checks it against its clock, so every backend behaves alike;
// ttlSeconds lets a backend drop the entry itself (memory with least-recently-used eviction on
// Node, KV with expiry on Workers, Redis with EX).

export interface ResponseCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}
