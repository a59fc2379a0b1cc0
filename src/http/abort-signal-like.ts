// What the core needs of an AbortSignal: whether it fired, and to be told when it does. A real
// AbortSignal fits (Workers, app.request() in tests), and so does the lighter source below. On
// Node 20 an AbortSignal costs about 8 µs of CPU to create (an EventTarget and a prototype change
// per signal), and passing one to the outbound client about 11 µs more per request: two per chat
// were 5% of the proxy's CPU (bench/README.md). The outbound clients bridge it to what their API
// takes (fetch-upstream-client.ts, adapter/node/undici-upstream-client.ts).

export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface AbortSource {
  readonly signal: AbortSignalLike;
  /** Fires every listener once; later calls do nothing. */
  abort(): void;
}

export function createAbortSource(): AbortSource {
  let aborted = false;
  let listeners: Array<() => void> | undefined;
  const signal: AbortSignalLike = {
    get aborted() {
      return aborted;
    },
    addEventListener(_type, listener) {
      if (!aborted) (listeners ??= []).push(listener);
    },
    removeEventListener(_type, listener) {
      const index = listeners?.indexOf(listener) ?? -1;
      if (index !== -1) listeners!.splice(index, 1);
    },
  };
  return {
    signal,
    abort() {
      if (aborted) return;
      aborted = true;
      const fired = listeners;
      listeners = undefined;
      for (const listener of fired ?? []) listener();
    },
  };
}
