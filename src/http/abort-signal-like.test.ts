import { describe, expect, it } from 'vitest';
import { createAbortSource } from './abort-signal-like.ts';

describe('createAbortSource', () => {
  it('fires each listener once, in order, and never one removed or added after the abort', () => {
    const { signal, abort } = createAbortSource();
    const calls: string[] = [];
    const removed = () => calls.push('removed');
    signal.addEventListener('abort', () => calls.push('first'), { once: true });
    signal.addEventListener('abort', removed);
    signal.addEventListener('abort', () => calls.push('second'));
    signal.removeEventListener('abort', removed);
    expect(signal.aborted).toBe(false);
    abort();
    abort();
    signal.addEventListener('abort', () => calls.push('late'));
    expect(signal.aborted).toBe(true);
    expect(calls).toEqual(['first', 'second']);
  });
});
