import type { CacheStatus } from '../api/gateway-headers.ts';
import type { LogRoute } from '../api/logs.ts';
import type { UsageGrouping, UsageRow } from '../api/usage.ts';

// One record per chat completion, streamed or not, cached or not; and the sums GET /usage and
// the budgets read. Implementations: append-only files with in-memory sums on Node, a Durable
// Object with SQLite storage on Workers, Redis when configured.
//
// Sums are kept per hour: `from` is rounded down and `to` up to a whole hour (UTC) by every
// implementation alike. A budget period (a UTC day, a UTC month, all time) is made of whole hours,
// so budgets are exact.

export interface UsageRecord {
  /** Epoch milliseconds. */
  time: number;
  /** null for the shared token (and management). */
  keyId: string | null;
  providerId: string;
  /** The upstream model. */
  model: string;
  /** The whole prompt, cache reads and writes included. */
  /** The route the request named as its `model` (contract v1.2); null (or absent) when it named none. */
  routeName?: string | null;
  promptTokens: number;
  /** Reasoning tokens included. */
  completionTokens: number;
  /** Prompt tokens read from the provider's cache (0 in records written before v1.2). */
  cachedPromptTokens: number;
  /** Prompt tokens written to the provider's cache. */
  cacheWriteTokens: number;
  /** Completion tokens spent reasoning. */
  reasoningTokens: number;
  /** What the request cost in US dollars, to the nano-dollar; null when no price was known (0 in records written before v1.2). */
  costUsd: number | null;
  /** The HTTP status of the answer, or the error code a started stream ended with. */
  outcome: number | string;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  cached: boolean;
  // What the request log shows (GET /logs); absent on records written before it existed.
  /** The record's own id. */
  id?: string;
  /** The request's X-Request-Id. */
  requestId?: string;
  /** The API route it came in on. */
  route?: LogRoute;
  stream?: boolean;
  /** The response cache's answer; null when caching was off for the request. */
  cacheStatus?: CacheStatus | null;
  /** The error code the client got, when the request failed. */
  errorCode?: string;
  /**
   * The tokens are the gateway's estimate, not the upstream's figure: a stream that ended (or that
   * the client left) before the upstream reported its usage. Absent means false.
   */
  estimated?: boolean;
}

export interface UsageSelection {
  /** Epoch milliseconds, rounded down to the hour. */
  from: number;
  /** Epoch milliseconds, exclusive, rounded up to the hour. */
  to: number;
  groupBy: readonly UsageGrouping[];
  /** Only this key's records (null: the shared token's); undefined: everyone's. */
  keyId?: string | null;
}

export interface UsageLedger {
  record(entry: UsageRecord): Promise<void>;
  query(selection: UsageSelection): Promise<UsageRow[]>;
  /** Prompt + completion tokens of one key's records since an hour boundary. */
  tokensSince(keyId: string, since: number): Promise<number>;
  /** US dollars of one key's records since an hour boundary (unpriced records add nothing). */
  costSince(keyId: string, since: number): Promise<number>;
  /** When each key last completed a chat, as epoch milliseconds. */
  lastUsed(): Promise<Map<string, number>>;
}

export const HOUR_MS = 60 * 60 * 1000;

export const floorToHour = (time: number) => Math.floor(time / HOUR_MS) * HOUR_MS;
export const ceilToHour = (time: number) => Math.ceil(time / HOUR_MS) * HOUR_MS;

/** Client disconnects (499) are neither a success nor the gateway's failure. */
export function isErrorOutcome(outcome: number | string): boolean {
  return typeof outcome === 'string' || (outcome >= 400 && outcome !== 499);
}
