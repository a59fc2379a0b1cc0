import { chatCompletionSchema } from '../api/chat.ts';
import type { Dialect } from '../dialects/dialect.ts';
import { ProviderError } from '../errors/api-error.ts';
import { toApiError } from '../errors/render-error.ts';
import { frameData } from '../protocols/chat-protocol.ts';
import type { ChatAnswer } from './chat-answer.ts';

// A chat answer in the client's dialect. A native answer already is; a translated one is encoded
// here, after the exchange (fallbacks, cache, ledger) is done with it, so the cache keeps chat's
// form and every dialect reads it. Chat Completions itself never comes through here.

export async function presentInDialect(answer: ChatAnswer, dialect: Dialect): Promise<ChatAnswer> {
  if (answer.native) return answer;
  if (!answer.stream) {
    const completion = chatCompletionSchema.safeParse(safeJson(answer.body));
    if (!completion.success) throw new ProviderError('The provider\'s answer is not a chat completion');
    const body = dialect.encodeCompletion(completion.data);
    await dialect.settle?.();
    return { ...answer, body };
  }
  const source = answer.frames;
  async function* encoded(): AsyncGenerator<string> {
    const encoder = dialect.createStreamEncoder();
    let settled = false;
    for await (const frames of source) {
      let text = encoder.encode(frames);
      if (encoder.complete && !settled) {
        settled = true;
        try {
          await dialect.settle?.();
        } catch (error) {
          // The answer could not be kept as the client asked (the store is down): its end is
          // then this error event, not a completion that a later request could not continue.
          text = encoder.encode(frameData(JSON.stringify(toApiError(error).toJSON())));
        }
      }
      if (text.length > 0) yield text;
    }
  }
  return { ...answer, frames: encoded() };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
