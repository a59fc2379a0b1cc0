import * as z from 'zod';

// The headers of the gateway's routing features (contract v1.1, "Routing"): the response cache,
// asked for per request, and what the gateway says about the answer it gave.

export const gatewayHeaders = {
  /** Request: answer from the response cache when an identical request was answered within this many seconds. */
  cacheTtl: 'X-Gateway-Cache-TTL',
  /** Response: HIT, MISS or BYPASS; absent when caching is off for the request. */
  cacheStatus: 'X-Gateway-Cache-Status',
  /** Response: the name of the provider that served the answer (after fallbacks), encoded as providerHeaderSchema says. */
  provider: 'X-Gateway-Provider',
  /** Response (Messages, Responses): tools the translation to the provider's protocol had to leave out, a comma list of names. */
  droppedTools: 'X-Gateway-Dropped-Tools',
  /** Response of GET /models: the providers whose model list could not be fetched. */
  modelErrors: 'X-Gateway-Model-Errors',
} as const;

export const gatewayHeaderDescriptions = {
  modelErrors:
    'The names of the providers whose model list could not be fetched (their models are missing from the list), separated by commas. Each name is percent-encoded UTF-8 outside printable ASCII, and its own commas and `%` too: split on `,` and `decodeURIComponent` each part.',
} as const;

/** X-Gateway-Provider as the API description shows it; the server writes it with encodeHeaderText (src/http). */
export const providerHeaderSchema = z.string().meta({
  description:
    'The name of the provider that served the answer (after fallbacks). A header carries bytes, not text: every character outside printable ASCII, `%` itself, and a space at either end are sent as their UTF-8 bytes in percent-encoding (`日本` is `%E6%97%A5%E6%9C%AC`, `100%` is `100%25`), so a name in printable ASCII without `%` reads as it is, and `decodeURIComponent` gives back any name.',
  example: '%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%83%97%E3%83%AD%E3%83%90%E3%82%A4%E3%83%80',
});

export const MAX_CACHE_TTL_SECONDS = 86_400;

/** The X-Gateway-Cache-TTL value: whole seconds, 1 to 86,400. */
export const cacheTtlSecondsSchema = z.coerce.number().int().min(1).max(MAX_CACHE_TTL_SECONDS);

export const cacheStatuses = ['HIT', 'MISS', 'BYPASS'] as const;
export type CacheStatus = (typeof cacheStatuses)[number];
