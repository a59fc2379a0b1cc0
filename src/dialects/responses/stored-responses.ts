import * as z from 'zod';
import type { Caller } from '../../auth/caller.ts';
import { NotFoundError } from '../../errors/api-error.ts';
import type { ResponseStore } from '../../storage/response-store.ts';
import { responseIdOfItem } from './build-response-object.ts';
import type { ResponseObject, ResponsesInputItem } from './responses-api.ts';

// Responses kept per caller (contract v1.2): the response object and every input item that led to
// it (a previous response's included), so previous_response_id can go on without the provider
// keeping anything. Only the caller that made a response sees it (its access key, or the shared
// token); anyone else, an unknown id and an expired one all get the same 404. The expiry is
// checked here, against the gateway's clock, whatever the backend keeps.

const storedSchema = z.object({
  v: z.literal(1),
  owner: z.string(),
  expiresAt: z.number(),
  response: z.looseObject({ id: z.string(), output: z.array(z.looseObject({ type: z.string() })) }),
  input: z.array(z.looseObject({})),
});

export interface StoredConversation {
  response: ResponseObject;
  /** The items that led to the response, oldest first. */
  input: ResponsesInputItem[];
}

export type StoredResponses = ReturnType<typeof createStoredResponses>;

export function createStoredResponses(store: ResponseStore, options: { now: () => number; ttlSeconds: number }) {
  const ownerOf = (caller: Caller) => (caller.kind === 'access-key' ? `key:${caller.key.id}` : 'token');
  const notFound = (id: string) => new NotFoundError(`Response ${JSON.stringify(id)} not found`);

  async function load(id: string, caller: Caller): Promise<StoredConversation> {
    const text = await store.get(id);
    const parsed = text === null ? undefined : storedSchema.safeParse(safeJson(text));
    if (!parsed?.success || parsed.data.owner !== ownerOf(caller) || parsed.data.expiresAt <= options.now()) throw notFound(id);
    return { response: parsed.data.response as ResponseObject, input: parsed.data.input as ResponsesInputItem[] };
  }

  return {
    load,
    /** The conversation up to and including a stored response, as input items for the next turn. */
    async history(id: string, caller: Caller): Promise<ResponsesInputItem[]> {
      const { response, input } = await load(id, caller);
      return [...input, ...(response.output as ResponsesInputItem[])];
    },
    /**
     * The input with each `item_reference` replaced by the item it names, from the caller's own
     * stored responses. https://platform.openai.com/docs/api-reference/responses/create#responses-create-input
     */
    async resolveReferences(items: ResponsesInputItem[], caller: Caller): Promise<ResponsesInputItem[]> {
      if (!items.some((item) => item.type === 'item_reference')) return items;
      const loaded = new Map<string, Promise<StoredConversation>>();
      const resolved: ResponsesInputItem[] = [];
      for (const item of items) {
        if (item.type !== 'item_reference') {
          resolved.push(item);
          continue;
        }
        const id = String(item.id ?? '');
        const responseId = responseIdOfItem(id);
        const conversation = responseId === undefined ? undefined : await (loaded.get(responseId) ?? loaded.set(responseId, load(responseId, caller)).get(responseId)!).catch(() => undefined);
        const found = conversation?.response.output.find((output) => (output as { id?: unknown }).id === id);
        if (found === undefined) throw new NotFoundError(`Item ${JSON.stringify(id)} not found`, { field: 'input' });
        resolved.push(found as ResponsesInputItem);
      }
      return resolved;
    },
    async save(conversation: StoredConversation, caller: Caller): Promise<void> {
      const value = { v: 1, owner: ownerOf(caller), expiresAt: options.now() + options.ttlSeconds * 1000, ...conversation };
      await store.put(conversation.response.id, JSON.stringify(value), options.ttlSeconds);
    },
    async delete(id: string, caller: Caller): Promise<void> {
      await load(id, caller);
      await store.delete(id);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
