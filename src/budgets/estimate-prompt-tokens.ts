import { countUtf8Bytes } from '../text/count-utf8-bytes.ts';
import { estimateTokens } from './estimate-tokens.ts';

/**
 * A request's prompt tokens, estimated from its whole JSON body: messages, system, tools and the
 * parameters alike, so the estimate leans high (an image counts by its encoded size).
 */
export function estimatePromptTokens(body: Record<string, unknown>): number {
  return estimateTokens(countUtf8Bytes(JSON.stringify(body)));
}
