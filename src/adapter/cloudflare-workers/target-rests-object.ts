import { DurableObject } from 'cloudflare:workers';
import type { TargetRestsStub } from './worker-bindings.ts';

// Route targets resting after a 429, for every isolate and location at once: one Durable Object
// for the deployment (a KV value would reach other locations only within about 60 s, and KV
// cannot expire anything sooner than 60 s, while a Retry-After is often 1 or 2 s). It holds at
// most one small entry per route target, read and written with SQLite storage's synchronous
// key-value API, so a read is answered from the object's memory. Each entry keeps the caller's
// `until` (compared with the caller's clock) and, for clean-up, when it expires in real time; an
// alarm deletes what has expired.

interface Rest {
  until: number;
  /** Date.now() at which the entry may be deleted. */
  expiresAt: number;
}

const PREFIX = 'rest:';

export class TargetRestsObject extends DurableObject implements TargetRestsStub {
  async restingUntil(targets: string[]): Promise<Array<[string, number]>> {
    const found: Array<[string, number]> = [];
    for (const target of targets) {
      const rest = this.ctx.storage.kv.get<Rest>(`${PREFIX}${target}`);
      if (rest !== undefined) found.push([target, rest.until]);
    }
    return found;
  }

  async rest(target: string, until: number, forMs: number): Promise<void> {
    const key = `${PREFIX}${target}`;
    const current = this.ctx.storage.kv.get<Rest>(key);
    if (current !== undefined && current.until >= until) return;
    const expiresAt = Date.now() + Math.max(0, forMs);
    this.ctx.storage.kv.put(key, { until, expiresAt });
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > expiresAt) await this.ctx.storage.setAlarm(expiresAt);
  }

  async alarm(): Promise<void> {
    const now = Date.now();
    let next: number | undefined;
    for (const [key, rest] of this.ctx.storage.kv.list<Rest>({ prefix: PREFIX })) {
      if (rest.expiresAt <= now) this.ctx.storage.kv.delete(key);
      else next = Math.min(next ?? rest.expiresAt, rest.expiresAt);
    }
    if (next !== undefined) await this.ctx.storage.setAlarm(next);
  }
}
