import type { gatewayHeaders } from '../../../src/api/gateway-headers.ts';
import { readJson, type RequestOptions, type Transport } from './create-transport.ts';
import { decodeHeaderText } from './decode-header-text.ts';
import { errorFromResponse } from './error-from-response.ts';
import { GatewayError } from './gateway-error.ts';
import { readChatStream } from './read-chat-stream.ts';
import type { CacheStatus, ChatCompletion, ChatCompletionChunk, ChatRequest } from './wire-types.ts';

// POST /chat/completions, as a promise of one chat.completion or as an async generator of chunks.

// Spelled out (the client imports no server code at run time) but checked against the server's
// names: a renamed header fails the type-check here.
const CACHE_TTL_HEADER: (typeof gatewayHeaders)['cacheTtl'] = 'X-Gateway-Cache-TTL';
const CACHE_STATUS_HEADER: (typeof gatewayHeaders)['cacheStatus'] = 'X-Gateway-Cache-Status';
const PROVIDER_HEADER: (typeof gatewayHeaders)['provider'] = 'X-Gateway-Provider';
// Every status the server's schema names, and only those: the type-check fails on a new one.
const knownCacheStatuses: Record<CacheStatus, true> = { HIT: true, MISS: true, BYPASS: true };

/** What the gateway said about an answer, in its headers. */
export interface ResponseInfo {
  status: number;
  requestId: string | null;
  /** X-Gateway-Provider, decoded: the name of the provider that served the answer (after fallbacks). */
  provider: string | null;
  /** X-Gateway-Cache-Status; null when caching was off for the request. */
  cacheStatus: CacheStatus | null;
}

export interface ChatOptions extends RequestOptions {
  /** Sends X-Gateway-Cache-TTL: an identical request answered within this many seconds (1 to 86,400) is served from the gateway's cache. */
  cacheTtlSeconds?: number | undefined;
  /** Sends Cache-Control: no-cache: the gateway does not answer this request from its cache (X-Gateway-Cache-Status: BYPASS). */
  noCache?: boolean | undefined;
  /** Called once the answer's headers have arrived, before its body is read. */
  onResponse?: ((info: ResponseInfo) => void) | undefined;
}

export interface ChatMethods {
  /**
   * One chat.completion. A request with `stream: true` is refused before anything is sent
   * (VALIDATION_ERROR, status 0, details.field "stream"): that is streamChat's job.
   */
  chat(request: ChatRequest & { stream?: false | null | undefined }, options?: ChatOptions): Promise<ChatCompletion>;
  /**
   * The answer's chunks as they arrive, with `stream: true` forced. The request is sent on the
   * first iteration. An error event is thrown as GatewayError with its code, message and
   * details; an end without [DONE] as STREAM_INTERRUPTED. Aborting the signal, or leaving the
   * loop early, cancels the response body, so the gateway aborts its upstream call; an abort
   * throws the signal's reason (an AbortError DOMException unless you gave one), as fetch does.
   */
  streamChat(request: ChatRequest, options?: ChatOptions): AsyncGenerator<ChatCompletionChunk, void, undefined>;
}

export function chatMethods(transport: Transport): ChatMethods {
  async function post(request: ChatRequest, options: ChatOptions, accept: string): Promise<Response> {
    const response = await transport.send('POST', '/chat/completions', { body: request, signal: options.signal, headers: cacheHeaders(options), accept });
    if (!response.ok) throw await errorFromResponse(response);
    try {
      options.onResponse?.(responseInfo(response));
    } catch (error) {
      // The caller's callback failed: nobody will read this answer, so let the gateway stop it.
      await response.body?.cancel().catch(() => undefined);
      throw error;
    }
    return response;
  }

  return {
    async chat(request, options = {}) {
      if ((request as ChatRequest).stream === true) {
        throw new GatewayError({ status: 0, code: 'VALIDATION_ERROR', message: 'chat() answers with one chat.completion: use streamChat() for stream: true', details: { field: 'stream' } });
      }
      return readJson<ChatCompletion>(await post(request, options, 'application/json'), options.signal);
    },
    async *streamChat(request, options = {}) {
      const response = await post({ ...request, stream: true }, options, 'text/event-stream');
      yield* readChatStream(response, options.signal);
    },
  };
}

export function cacheHeaders(options: ChatOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.cacheTtlSeconds !== undefined) headers[CACHE_TTL_HEADER] = String(options.cacheTtlSeconds);
  if (options.noCache === true) headers['Cache-Control'] = 'no-cache';
  return headers;
}

export function responseInfo(response: Response): ResponseInfo {
  const cacheStatus = response.headers.get(CACHE_STATUS_HEADER);
  const provider = response.headers.get(PROVIDER_HEADER);
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    provider: provider === null ? null : decodeHeaderText(provider),
    cacheStatus: cacheStatus !== null && Object.hasOwn(knownCacheStatuses, cacheStatus) ? (cacheStatus as CacheStatus) : null,
  };
}
