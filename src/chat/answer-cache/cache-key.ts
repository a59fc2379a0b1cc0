import type { Caller } from '../../auth/caller.ts';
import type { ChatTarget } from '../chat-targets.ts';

// What makes two requests "identical" for the response cache (contract v1.1, Routing): the same
// caller (an access key, or the tokens), the same provider and upstream model, and the same body
// once the fields that only say how to deliver or route it are removed. The body is compared as
// the client serialised it, so the same question asked by the same code is the same; a hash keeps
// keys short and the request's text out of the store.

const DELIVERY_FIELDS = new Set(['stream', 'stream_options', 'provider_id', 'models', 'model']);

/** `variant` keeps a dialect's native answers (and their JSON and stream forms) apart from chat's. */
export async function deriveCacheKey(caller: Caller, target: { provider: Pick<ChatTarget['provider'], 'id'>; upstreamModel: string }, body: Record<string, unknown>, variant?: string): Promise<string> {
  const kept: Record<string, unknown> = {};
  for (const name in body) if (!DELIVERY_FIELDS.has(name)) kept[name] = body[name];
  const scope = caller.kind === 'access-key' ? `key:${caller.key.id}` : 'token';
  const text = JSON.stringify(variant === undefined ? [scope, target.provider.id, target.upstreamModel, kept] : [scope, target.provider.id, target.upstreamModel, kept, variant]);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
