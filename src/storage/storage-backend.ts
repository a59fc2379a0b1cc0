import type { Store } from 'hono-rate-limiter';
import type { AccessKeyStore } from './access-key-store.ts';
import type { RateLimitFailure } from './guard-rate-limit-store.ts';
import type { BudgetReservations } from './budget-reservations.ts';
import type { ModelsCache } from './models-cache.ts';
import type { ModelRouteStore } from './model-route-store.ts';
import type { ProviderStore } from './provider-store.ts';
import type { ResponseCache } from './response-cache.ts';
import type { ResponseStore } from './response-store.ts';
import type { TargetRestStore } from './target-rest-store.ts';
import type { UsageLedger } from './usage-ledger.ts';

// Everything a storage choice implies, as one object the entry point builds once: the JSON files
// in the data folder (Node's default), KV and Durable Objects (Workers), Redis (several Node
// processes as one). The core only sees this interface and never asks which one it has.
// Backend-specific duties that the core does not need (the PBKDF2 salt, locking, replacing every
// record for a key rotation) are on the backend objects the entry points hold.

export interface StorageBackend {
  providers: ProviderStore;
  accessKeys: AccessKeyStore;
  usage: UsageLedger;
  /** Access-key budgets held by requests in flight, checked and settled against `usage`. */
  budgets: BudgetReservations;
  modelsCache: ModelsCache;
  responseCache: ResponseCache;
  /** Stored Responses API answers, for previous_response_id and GET/DELETE /responses/:id. */
  responses: ResponseStore;
  /** Routes: one name for several `<provider>/<model>` targets. */
  routes: ModelRouteStore;
  /** Route targets resting after a 429, seen by every process of the deployment. */
  targetRests: TargetRestStore;
  /**
   * A hono-rate-limiter store for the limiter of this name ('all', 'outbound', 'access-key:<windowMs>').
   * Each call returns a store of its own: the limiter initialises it with its window. `failure`:
   * what a store that cannot be reached does (guard-rate-limit-store.ts); a memory store cannot fail.
   */
  rateLimitStore(name: string, failure: RateLimitFailure): Store;
  /** Whether the backend can serve now (GET /health says "degraded" when it cannot). */
  isHealthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** What an entry point or a tool (rotate-key, migrate-store) needs beyond the core's interface. */
export interface OwnedStorageBackend extends StorageBackend {
  /** The PBKDF2 salt, kept beside the providers and created before the first of them. */
  loadOrCreateSalt(): Promise<Uint8Array<ArrayBuffer>>;
}
