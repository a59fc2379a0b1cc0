import { ProviderError } from '../../errors/api-error.ts';
import { scrubSecrets } from '../../upstream/scrub-secrets.ts';
import { anthropicErrorSchema } from './anthropic-api.ts';

/**
 * A non-streamed Messages answer is handed on as the provider wrote it, once it is known to be a
 * JSON object: an unparseable answer is the provider's failure (502), not a 200 the client's SDK
 * chokes on. Some Anthropic-compatible servers answer 200 with an error body; that is a 502 too.
 */
export function checkMessagesAnswer(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProviderError('The provider\'s answer is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProviderError('The provider\'s answer is not a message');
  }
  const error = anthropicErrorSchema.safeParse(parsed);
  if (error.success) throw new ProviderError(scrubSecrets(error.data.error.message), { upstreamStatus: 200 });
  return parsed as Record<string, unknown>;
}
