import { chatMethods, type ChatMethods } from './chat-methods.ts';
import { dialectMethods, type DialectMethods } from './dialect-methods.ts';
import { createTransport, readJson, type GatewayClientOptions, type RequestOptions } from './create-transport.ts';
import { errorFromResponse } from './error-from-response.ts';
import { keyMethods, type KeyMethods } from './key-methods.ts';
import { providerMethods, type ProviderMethods } from './provider-methods.ts';
import type { EmbeddingList, EmbeddingsRequest, Health, ModelList, UsageQuery, UsageReport } from './wire-types.ts';

// The typed client for web UIs: every route of the contract as a method, every failure a
// GatewayError.

export interface GatewayClient extends ChatMethods, DialectMethods {
  /**
   * Never needs a token. A gateway that lost its store answers 503 with `status: "degraded"`:
   * that answer is returned, not thrown, so a status page can show it.
   */
  health(options?: RequestOptions): Promise<Health>;
  /** Every provider's models in OpenAI's list format, ids as `<provider name>/<model>`. */
  models(options?: RequestOptions): Promise<ModelList>;
  /** POST /embeddings: OpenAI's embedding list as the provider answered it (an OpenAI-protocol provider; `model` as `<provider>/<model>`). */
  embeddings(request: EmbeddingsRequest, options?: RequestOptions): Promise<EmbeddingList>;
  /** Defaults: the last 30 days, one row. `groupBy` as a list or as the comma list the route takes. */
  usage(query?: UsageQuery, options?: RequestOptions): Promise<UsageReport>;
  providers: ProviderMethods;
  keys: KeyMethods;
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
    models: (requestOptions = {}) => transport.json('GET', '/models', requestOptions),
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
