import { MemoryStore, type Store } from 'hono-rate-limiter';
import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../errors/api-error.ts';
import { createLogger } from '../logging/logger.ts';
import { guardRateLimitStore } from './guard-rate-limit-store.ts';

// The wrapper every store that can be unreachable goes through (Redis on Node, the Durable Object
// on Workers; test/workers/rate-limit.test.ts runs it with the real Worker): a working store is
// passed through, a failing one lets the request through or refuses it, as the limiter asked.

function logged() {
  const lines: Array<{ level: string; message: string; operation?: string }> = [];
  return { lines, logger: createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) }) };
}

const failing: Store = {
  increment: () => Promise.reject(new Error('connection refused')),
  decrement: () => Promise.reject(new Error('connection refused')),
  resetKey: () => Promise.reject(new Error('connection refused')),
};
const silent: Store = { increment: () => new Promise(() => undefined), decrement: async () => undefined, resetKey: async () => undefined };

describe('guardRateLimitStore', () => {
  it.each(['open', 'closed'] as const)('passes a working store through (failing %s)', async (failure) => {
    const memory = new MemoryStore();
    const store = guardRateLimitStore(memory, { ...logged(), failure });
    store.init?.({ windowMs: 60_000 } as Parameters<NonNullable<Store['init']>>[0]);
    expect((await store.increment('a')).totalHits).toBe(1);
    expect((await store.increment('a')).totalHits).toBe(2);
    memory.shutdown();
  });

  it.each([['rejects', failing, 'connection refused'], ['never answers', silent, 'timed out after 50 ms']] as const)('failing open, lets the request through uncounted when the store %s, with a warning', async (_, inner, error) => {
    const { lines, logger } = logged();
    const store = guardRateLimitStore(inner, { logger, failure: 'open', timeoutMs: 50 });
    expect(await store.increment('a')).toEqual({ totalHits: 0, resetTime: undefined });
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', message: 'rate limit store failed; letting the request through', operation: 'increment', error })]);
  });

  it.each([['rejects', failing, 'connection refused'], ['never answers', silent, 'timed out after 50 ms']] as const)('failing closed, refuses with STORAGE_UNAVAILABLE when the store %s, with a warning', async (_, inner, error) => {
    const { lines, logger } = logged();
    const store = guardRateLimitStore(inner, { logger, failure: 'closed', timeoutMs: 50 });
    await expect(store.increment('a')).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', message: 'rate limit store failed; refusing the request', operation: 'increment', error })]);
  });
});
