import type { Context } from 'hono';
import { cacheTtlSecondsSchema, gatewayHeaders, MAX_CACHE_TTL_SECONDS } from '../api/gateway-headers.ts';
import type { AppEnv } from '../app-env.ts';
import type { ChatAnswer } from '../chat/chat-answer.ts';
import { ValidationError } from '../errors/api-error.ts';
import { encodeHeaderList } from '../http/encode-header-list.ts';
import { encodeHeaderText } from '../http/encode-header-text.ts';
import type { RequestIo } from '../http/request-io.ts';

// What every route over the chat exchange does with the caching headers it was sent and with the
// answer it got back (chat, messages, responses): the same headers, the same log fields, JSON or
// an event stream.

/** X-Gateway-Cache-TTL (or the server's default) turns the cache on; Cache-Control: no-cache skips reading it. */
export function cacheOptions(c: Context<AppEnv>, defaultTtlSeconds: number | undefined): { ttlSeconds: number; bypass: boolean } | undefined {
  const asked = c.req.header(gatewayHeaders.cacheTtl);
  let ttlSeconds = defaultTtlSeconds;
  if (asked !== undefined) {
    const parsed = cacheTtlSecondsSchema.safeParse(asked.trim() === '' ? Number.NaN : asked);
    if (!parsed.success) throw new ValidationError(`${gatewayHeaders.cacheTtl} must be a whole number of seconds from 1 to ${MAX_CACHE_TTL_SECONDS}`, { field: gatewayHeaders.cacheTtl });
    ttlSeconds = parsed.data;
  }
  if (ttlSeconds === undefined) return undefined;
  const bypass = /(?:^|,)\s*no-cache\s*(?:,|$)/i.test(c.req.header('cache-control') ?? '');
  // Said on errors too: the client learns the answer did not come from the cache.
  c.header(gatewayHeaders.cacheStatus, bypass ? 'BYPASS' : 'MISS');
  return { ttlSeconds, bypass };
}

export function sendAnswer(c: Context<AppEnv>, answer: ChatAnswer, io: RequestIo, eventStreamType: string): Response {
  const logFields = c.get('logFields');
  logFields.providerId = answer.provider.id;
  logFields.model = answer.model;
  logFields.stream = answer.stream;
  if (answer.cacheStatus) {
    logFields.cache = answer.cacheStatus;
    c.header(gatewayHeaders.cacheStatus, answer.cacheStatus);
  }
  // Encoded, so no name a user typed can make setting a header throw now that the upstream has
  // answered (a provider's name, a client's tool names).
  c.header(gatewayHeaders.provider, encodeHeaderText(answer.provider.name));
  if (answer.droppedTools.length > 0) c.header(gatewayHeaders.droppedTools, encodeHeaderList(answer.droppedTools));
  if (!answer.stream) return c.body(answer.body, 200, { 'Content-Type': 'application/json' });
  // The headers hono's streamSSE sent, and: no-transform for proxies, X-Accel-Buffering for nginx
  // to pass each chunk on at once. A failed stream already ends with its dialect's error event
  // (the chat service writes it), so nothing here writes errors.
  c.header('Transfer-Encoding', 'chunked');
  c.header('Content-Type', eventStreamType);
  c.header('Cache-Control', 'no-cache, no-transform');
  c.header('Connection', 'keep-alive');
  c.header('X-Accel-Buffering', 'no');
  return io.eventStream(c, { frames: answer.frames, cancel: () => answer.cancel() });
}
