import type { z } from 'zod';
import { ProviderError } from '../../errors/api-error.ts';

/**
 * An Anthropic answer that does not match its documented shape is the provider's fault, not the
 * client's: a ProviderError listing where it differs. Only paths and zod messages are kept, never
 * upstream values, so the client sees no echo of the (possibly large) body.
 */
export function createAnthropicValidationError(error: z.ZodError, what: string): ProviderError {
  return new ProviderError(`Anthropic returned a malformed ${what}`, {
    issues: error.issues.slice(0, 5).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  });
}
