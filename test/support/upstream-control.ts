import type { RecordedRequest } from './fake-upstream/index.ts';

// The fake upstream's control endpoints, over HTTP so that tests inside workerd can use them too.

export function upstreamControl(upstreamUrl: string) {
  return {
    async reset(): Promise<void> {
      await fetch(`${upstreamUrl}/__control/reset`, { method: 'POST' });
    },
    async requests(): Promise<RecordedRequest[]> {
      return (await fetch(`${upstreamUrl}/__control/requests`)).json();
    },
    async connections(): Promise<{ open: number; total: number; closedBeforeEnd: number }> {
      return (await fetch(`${upstreamUrl}/__control/connections`)).json();
    },
    /** How many requests for a `held` model wait to be released. */
    async held(model: string): Promise<number> {
      return ((await (await fetch(`${upstreamUrl}/__control/held?model=${encodeURIComponent(model)}`)).json()) as { waiting: number }).waiting;
    },
    async release(model: string): Promise<number> {
      return ((await (await fetch(`${upstreamUrl}/__control/held?model=${encodeURIComponent(model)}`, { method: 'POST' })).json()) as { released: number }).released;
    },
    async streamProgress(model: string): Promise<{ chunksWritten: number; finished: boolean; aborted: boolean }> {
      return (await fetch(`${upstreamUrl}/__control/stream-progress?model=${encodeURIComponent(model)}`)).json();
    },
  };
}
