import * as z from 'zod';
import type { ResponseCache } from '../../storage/response-cache.ts';

// One cached answer: the chat.completion JSON text (a stream's chunks are assembled into one
// first), who served it, and when it stops being served. The expiry is checked here, against the
// gateway's clock, so a backend that keeps entries longer (KV: at least 60 s) never serves a stale
// one. An entry that does not parse is a miss.

const cachedAnswerSchema = z.object({
  v: z.literal(1),
  expiresAt: z.number(),
  providerId: z.string(),
  providerName: z.string(),
  model: z.string(),
  completion: z.string(),
  promptTokens: z.number(),
  completionTokens: z.number(),
});

export type CachedAnswer = Omit<z.infer<typeof cachedAnswerSchema>, 'v' | 'expiresAt'>;

export function createAnswerCache(cache: ResponseCache, now: () => number) {
  return {
    async lookup(key: string): Promise<CachedAnswer | null> {
      const text = await cache.get(key);
      if (text === null) return null;
      let parsed: z.infer<typeof cachedAnswerSchema>;
      try {
        parsed = cachedAnswerSchema.parse(JSON.parse(text));
      } catch {
        return null;
      }
      if (parsed.expiresAt <= now()) return null;
      const { v: _version, expiresAt: _expiresAt, ...answer } = parsed;
      return answer;
    },

    async store(key: string, answer: CachedAnswer, ttlSeconds: number): Promise<void> {
      await cache.set(key, JSON.stringify({ v: 1, expiresAt: now() + ttlSeconds * 1000, ...answer }), ttlSeconds);
    },
  };
}

export type AnswerCache = ReturnType<typeof createAnswerCache>;
