import type { CacheStatus } from '../api/gateway-headers.ts';
import type { StoredProvider } from '../storage/provider-store.ts';

// What the chat service answers, in whichever dialect: JSON text, or frames to pipe with a way to
// stop them, and what the route says about it in its headers.

export interface Served {
  /** The provider that served (from the cache: the one that served the cached answer). */
  provider: Pick<StoredProvider, 'id' | 'name'>;
  /** The upstream model that served. */
  model: string;
  /** Absent when caching is off for the request. */
  cacheStatus: CacheStatus | undefined;
  /** Tools a dialect's translation left out for this target (X-Gateway-Dropped-Tools). */
  droppedTools: readonly string[];
  /** Already in the dialect: a native target's answer, as it came. */
  native: boolean;
}

export type ChatAnswer =
  | (Served & { stream: false; body: string })
  | (Served & { stream: true; frames: AsyncIterable<string>; cancel(): void });
