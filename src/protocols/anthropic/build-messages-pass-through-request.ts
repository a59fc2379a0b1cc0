import { buildUpstreamHeaders } from '../build-upstream-headers.ts';
import type { OutboundRequest } from '../chat-protocol.ts';
import type { StoredProvider } from '../../storage/provider-store.ts';
import { ANTHROPIC_VERSION, apiKeyHeader } from './anthropic-protocol.ts';

/** The Anthropic headers a client chose; everything else it sent stays with the gateway. */
export interface ClientAnthropicHeaders {
  /** https://docs.anthropic.com/en/api/versioning */
  version: string | undefined;
  /** https://docs.anthropic.com/en/api/beta-headers */
  beta: string | undefined;
}

/**
 * A client's Messages request as the provider gets it: the body unchanged but for `model`, the
 * stored key as x-api-key, and the client's anthropic-version and anthropic-beta. Never the
 * client's Authorization (the gateway token), never its other headers.
 * https://docs.anthropic.com/en/api/messages
 */
export function buildMessagesPassThroughRequest(
  provider: StoredProvider,
  apiKey: string | undefined,
  body: Record<string, unknown>,
  upstreamModel: string,
  client: ClientAnthropicHeaders,
): OutboundRequest {
  const own: Record<string, string> = {
    'content-type': 'application/json',
    accept: body.stream === true ? 'text/event-stream' : 'application/json',
    'anthropic-version': client.version || ANTHROPIC_VERSION,
    ...apiKeyHeader(apiKey),
  };
  if (client.beta) own['anthropic-beta'] = client.beta;
  return {
    url: `${provider.baseUrl}/v1/messages`,
    headers: buildUpstreamHeaders(provider, own),
    body: JSON.stringify({ ...body, model: upstreamModel }),
  };
}
