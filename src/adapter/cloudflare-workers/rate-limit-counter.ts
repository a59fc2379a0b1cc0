import { DurableObject } from 'cloudflare:workers';
import type { CounterWindow, RateLimitCounterStub } from './worker-bindings.ts';

// One fixed-window hit counter per client key (the Worker addresses it with idFromName(key)).
// The count is read, raised and written with SQLite storage's synchronous key-value API, so no
// other call can run in between: exact under any concurrency, which a KV counter (eventually
// consistent, one write per second per key) cannot be. (The asynchronous API leaned on input
// gates to keep concurrent calls apart, and under load let two calls read the same count.) The
// window lives in storage so that an evicted object keeps its count; an alarm at the window's end
// deletes it, so idle clients leave nothing behind.

const WINDOW_KEY = 'window';

export class RateLimitCounter extends DurableObject implements RateLimitCounterStub {
  async increment(windowMs: number): Promise<CounterWindow> {
    const now = Date.now();
    const current = this.ctx.storage.kv.get<CounterWindow>(WINDOW_KEY);
    const opensWindow = !current || current.resetTime <= now;
    const window = opensWindow ? { totalHits: 1, resetTime: now + windowMs } : { totalHits: current.totalHits + 1, resetTime: current.resetTime };
    this.ctx.storage.kv.put(WINDOW_KEY, window);
    if (opensWindow) await this.ctx.storage.setAlarm(window.resetTime);
    return window;
  }

  async decrement(): Promise<void> {
    const window = this.ctx.storage.kv.get<CounterWindow>(WINDOW_KEY);
    if (window && window.totalHits > 0) this.ctx.storage.kv.put(WINDOW_KEY, { ...window, totalHits: window.totalHits - 1 });
  }

  async reset(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  async alarm(): Promise<void> {
    const window = this.ctx.storage.kv.get<CounterWindow>(WINDOW_KEY);
    if (window && window.resetTime > Date.now()) await this.ctx.storage.setAlarm(window.resetTime);
    else await this.ctx.storage.deleteAll();
  }
}
