import { DurableObject } from 'cloudflare:workers';
import type { CounterWindow, RateLimitCounterStub } from './worker-bindings.ts';

// One fixed-window hit counter per client key (the Worker addresses it with idFromName(key)).
// A Durable Object runs one event at a time and holds storage writes behind its input gate, so
// counts are exact, which a KV counter (eventually consistent, one write per second per key)
// cannot be. The window lives in storage so that an evicted object keeps its count; an alarm at
// the window's end deletes it, so idle clients leave nothing behind.

const WINDOW_KEY = 'window';

export class RateLimitCounter extends DurableObject implements RateLimitCounterStub {
  async increment(windowMs: number): Promise<CounterWindow> {
    const now = Date.now();
    let window = await this.ctx.storage.get<CounterWindow>(WINDOW_KEY);
    if (!window || window.resetTime <= now) {
      window = { totalHits: 0, resetTime: now + windowMs };
      await this.ctx.storage.setAlarm(window.resetTime);
    }
    window = { totalHits: window.totalHits + 1, resetTime: window.resetTime };
    await this.ctx.storage.put(WINDOW_KEY, window);
    return window;
  }

  async decrement(): Promise<void> {
    const window = await this.ctx.storage.get<CounterWindow>(WINDOW_KEY);
    if (window && window.totalHits > 0) await this.ctx.storage.put(WINDOW_KEY, { ...window, totalHits: window.totalHits - 1 });
  }

  async reset(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  async alarm(): Promise<void> {
    const window = await this.ctx.storage.get<CounterWindow>(WINDOW_KEY);
    if (window && window.resetTime > Date.now()) await this.ctx.storage.setAlarm(window.resetTime);
    else await this.ctx.storage.deleteAll();
  }
}
