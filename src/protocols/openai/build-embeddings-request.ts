import type { StoredProvider } from '../../storage/provider-store.ts';
import { buildUpstreamHeaders } from '../build-upstream-headers.ts';
import { bearer } from './openai-protocol.ts';
import type { OutboundRequest } from '../chat-protocol.ts';

/**
 * An Embeddings request as an OpenAI-protocol provider gets it: the body as the client sent it,
 * but for `model` (the upstream model) and the gateway's own `provider_id`, with the stored key.
 * https://platform.openai.com/docs/api-reference/embeddings/create
 */
export function buildEmbeddingsRequest(provider: StoredProvider, apiKey: string | undefined, body: Record<string, unknown>, upstreamModel: string): OutboundRequest {
  const { provider_id: _providerId, ...forwarded } = body;
  return {
    url: `${provider.baseUrl}/embeddings`,
    headers: buildUpstreamHeaders(provider, { 'content-type': 'application/json', accept: 'application/json', ...bearer(apiKey) }),
    body: JSON.stringify({ ...forwarded, model: upstreamModel }),
  };
}
