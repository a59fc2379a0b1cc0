import { ProviderError } from '../../errors/api-error.ts';
import { buildMessagesPassThroughRequest, type ClientAnthropicHeaders } from '../../protocols/anthropic/build-messages-pass-through-request.ts';
import type { TokenCounter } from '../dialect.ts';
import { estimateTokens } from '../estimate-tokens.ts';

// POST /messages/count_tokens: an anthropic provider counts the prompt itself; for any other the
// answer is the gateway's estimate (about four characters of the prompt's JSON per token), which
// is what a client needs it for: to see how close a conversation is to the context window.
// https://docs.anthropic.com/en/api/messages-count-tokens

export function countMessageTokens(body: Record<string, unknown> & { system?: unknown; messages: unknown; tools?: unknown }, client: ClientAnthropicHeaders & { betaQuery: boolean }): TokenCounter {
  return {
    estimate: estimateTokens(body.system, body.messages, body.tools),
    serves: (provider) => provider.routingMethod === 'anthropic',
    request(provider, apiKey, upstreamModel) {
      const request = buildMessagesPassThroughRequest(provider, apiKey, body, upstreamModel, client);
      return { ...request, url: `${provider.baseUrl}/v1/messages/count_tokens${client.betaQuery ? '?beta=true' : ''}`, headers: { ...request.headers, accept: 'application/json' } };
    },
    read(text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ProviderError('The provider\'s answer is not valid JSON');
      }
      const count = (parsed as { input_tokens?: unknown } | null)?.input_tokens;
      if (typeof count !== 'number' || !Number.isInteger(count)) throw new ProviderError('The provider\'s answer has no input_tokens');
      return count;
    },
  };
}
