import type { gatewayHeaders } from '../../../src/api/gateway-headers.ts';
import { chatMethods, type ChatMethods } from './chat-methods.ts';
import { dialectMethods, type DialectMethods } from './dialect-methods.ts';
import { createTransport, readJson, type GatewayClientOptions, type RequestOptions } from './create-transport.ts';
import { errorFromResponse } from './error-from-response.ts';
import { keyMethods, type KeyMethods } from './key-methods.ts';
import { providerMethods, type ProviderMethods } from './provider-methods.ts';
import { decodeHeaderText } from './decode-header-text.ts';
import { routeMethods, type RouteMethods } from './route-methods.ts';
import type { EmbeddingList, EmbeddingsRequest, Health, ModelList, Session, UsageQuery, UsageReport } from './wire-types.ts';

// The typed client for web UIs: every route of the contract as a method, every failure a
// GatewayError.

// Spelled out (no server code at run time) but checked against the server's name.
const MODEL_ERRORS_HEADER: (typeof gatewayHeaders)['modelErrors'] = 'X-Gateway-Model-Errors';

export interface GatewayClient extends ChatMethods, DialectMethods {
  /**
   * Never needs a token. A gateway that lost its store answers 503 with `status: "degraded"`:
   * that answer is returned, not thrown, so a status page can show it.
   */
  health(options?: RequestOptions): Promise<Health>;
  /** Who the token is (`admin`, `client` or `access-key`) and, for an access key, its scopes and budget. */
  session(options?: RequestOptions): Promise<Session>;
  /**
   * Every provider's models in OpenAI's list format, ids as `<provider name>/<model>`, and the
   * names of the providers whose list could not be fetched (`X-Gateway-Model-Errors`; their
   * models are missing, the others are there).
   */
  models(options?: RequestOptions): Promise<ModelList & { failedProviders: string[] }>;
  /** POST /embeddings: OpenAI's embedding list as the provider answered it (an OpenAI-protocol provider; `model` as `<provider>/<model>`). */
  embeddings(request: EmbeddingsRequest, options?: RequestOptions): Promise<EmbeddingList>;
  /** Defaults: the last 30 days, one row. `groupBy` as a list or as the comma list the route takes. */
  usage(query?: UsageQuery, options?: RequestOptions): Promise<UsageReport>;
  providers: ProviderMethods;
  keys: KeyMethods;
  routes: RouteMethods;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const transport = createTransport(options);
  return {
    async health(requestOptions = {}) {
      const response = await transport.send('GET', '/health', requestOptions);
      if (response.ok) return readJson<Health>(response, requestOptions.signal);
      const degraded = response.status === 503 ? await readDegraded(response.clone()) : undefined;
      if (degraded) return degraded;
      throw await errorFromResponse(response);
    },
    session: (requestOptions = {}) => transport.json('GET', '/session', requestOptions),
    async models(requestOptions = {}) {
      const response = await transport.send('GET', '/models', requestOptions);
      if (!response.ok) throw await errorFromResponse(response);
      const failed = response.headers.get(MODEL_ERRORS_HEADER);
      const list = await readJson<ModelList>(response, requestOptions.signal);
      return { ...list, failedProviders: failed ? failed.split(',').map(decodeHeaderText) : [] };
    },
    embeddings: (request, requestOptions = {}) => transport.json('POST', '/embeddings', { body: request, signal: requestOptions.signal }),
    usage: (query = {}, requestOptions = {}) =>
      transport.json('GET', '/usage', {
        ...requestOptions,
        query: { from: query.from, to: query.to, groupBy: Array.isArray(query.groupBy) ? query.groupBy.join(',') : query.groupBy },
      }),
    ...chatMethods(transport),
    ...dialectMethods(transport),
    providers: providerMethods(transport),
    keys: keyMethods(transport),
    routes: routeMethods(transport),
  };
}

async function readDegraded(response: Response): Promise<Health | undefined> {
  try {
    const body = (await response.json()) as Partial<Health> | null;
    return body?.status === 'degraded' ? (body as Health) : undefined;
  } catch {
    return undefined;
  }
}
