import type { UsageRow } from '../../api/usage.ts';
import type { ReservationOutcome, ReservationRequest } from '../../storage/budget-reservations.ts';
import type { UsageRecord, UsageSelection } from '../../storage/usage-ledger.ts';
import type { LoggedRow, ObjectLogSelection } from './request-log-table.ts';

// The slices of the Workers binding APIs this adapter uses, typed here instead of through
// @cloudflare/workers-types: those declare Request, Response, fetch… as globals, which clash with
// the DOM lib the rest of the project is type-checked against. The real bindings are supersets.

export interface KvListPage {
  keys: Array<{ name: string }>;
  list_complete: boolean;
  cursor?: string;
}

export interface KvNamespace {
  get(key: string, type: 'text'): Promise<string | null>;
  /** Bulk read: at most 100 keys per call, one operation against the per-request limit. */
  get(keys: string[], type: 'text'): Promise<Map<string, string | null>>;
  /** expirationTtl is in seconds and KV refuses anything below 60. */
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: { prefix: string; limit?: number; cursor?: string }): Promise<KvListPage>;
}

/** What one rate-limit counter Durable Object answers over RPC (see rate-limit-counter.ts). */
export interface CounterWindow {
  totalHits: number;
  /** Epoch milliseconds at which the window ends. */
  resetTime: number;
}

export interface RateLimitCounterStub {
  increment(windowMs: number): Promise<CounterWindow>;
  decrement(): Promise<void>;
  reset(): Promise<void>;
}

export interface RateLimitCounterNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): RateLimitCounterStub;
}

/** What the UsageLedgerObject answers over RPC (see usage-ledger-object.ts). */
export interface UsageLedgerStub {
  record(entry: UsageRecord): Promise<void>;
  query(selection: UsageSelection): Promise<UsageRow[]>;
  tokensSince(keyId: string, since: number): Promise<number>;
  costSince(keyId: string, since: number): Promise<number>;
  lastUsed(): Promise<Array<[string, number]>>;
  logPage(selection: ObjectLogSelection): Promise<LoggedRow[]>;
  reserve(request: ReservationRequest): Promise<ReservationOutcome>;
  renew(keyId: string, id: string, now: number, expiresAt: number): Promise<void>;
  settle(keyId: string, id: string, entry: UsageRecord): Promise<void>;
  release(keyId: string, id: string): Promise<void>;
}

export interface UsageLedgerNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): UsageLedgerStub;
}

/** What the TargetRestsObject answers over RPC (see target-rests-object.ts). */
export interface TargetRestsStub {
  restingUntil(targets: string[]): Promise<Array<[string, number]>>;
  rest(target: string, until: number, forMs: number): Promise<void>;
}

export interface TargetRestsNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): TargetRestsStub;
}

/** wrangler.toml's [assets] binding: the files of dist/public, by path (the URL's host is not looked at). */
export interface StaticAssets {
  fetch(input: string): Promise<Response>;
}

/** The Worker's env: the bindings declared in wrangler.toml, plus every var and secret as a string. */
export interface WorkerEnv {
  PROVIDERS_KV: KvNamespace;
  ASSETS: StaticAssets;
  RATE_LIMIT_COUNTER: RateLimitCounterNamespace;
  USAGE_LEDGER: UsageLedgerNamespace;
  TARGET_RESTS: TargetRestsNamespace;
  [setting: string]: unknown;
}
