import { buildMessagesPassThroughRequest, type ClientAnthropicHeaders } from '../../protocols/anthropic/build-messages-pass-through-request.ts';
import { checkMessagesAnswer } from '../../protocols/anthropic/check-messages-answer.ts';
import { convertAnthropicUsage } from '../../protocols/anthropic/convert-anthropic-usage.ts';
import type { NativeRoute } from '../dialect.ts';
import { readAnthropicEvents } from './read-anthropic-events.ts';

// Messages to an anthropic provider: the request as the client sent it (the model rewritten, the
// gateway's own `models` left out, every field the gateway does not know kept), the client's
// anthropic-version, anthropic-beta and ?beta=true; the answer's bytes as they came.

export function nativeMessagesRoute(body: Record<string, unknown>, client: ClientAnthropicHeaders & { betaQuery: boolean }): NativeRoute {
  const { models: _fallbacks, ...forwarded } = body;
  return {
    body: forwarded,
    serves: (provider) => provider.routingMethod === 'anthropic',
    request(provider, apiKey, upstreamModel) {
      const request = buildMessagesPassThroughRequest(provider, apiKey, forwarded, upstreamModel, client);
      return client.betaQuery ? { ...request, url: `${request.url}?beta=true` } : request;
    },
    readAnswer(text) {
      const message = checkMessagesAnswer(text);
      return convertAnthropicUsage(message.usage as Parameters<typeof convertAnthropicUsage>[0]);
    },
    createStreamReader: readAnthropicEvents,
  };
}
