import { createParser } from 'eventsource-parser';
import * as z from 'zod';
import type { AnswerForm, AnswerReader, AnswerSummary } from './tracing.ts';

// The two GenAI span attributes that only the answer holds: the model that answered
// (gen_ai.response.model) and why it stopped (gen_ai.response.finish_reasons), read from what
// the client is sent, in its own form: Chat Completions (every translated answer), or a native
// Messages or Responses answer. Only a tracer that records uses it (the Node adapter's
// OpenTelemetry one); a stream is read beside its delivery, and only the events that carry them
// are parsed.


const chatAnswer = z.looseObject({ model: z.string().optional(), choices: z.array(z.looseObject({ finish_reason: z.string().nullish() })).optional() });
const message = z.looseObject({ model: z.string().optional(), stop_reason: z.string().nullish() });
const response = z.looseObject({ model: z.string().optional(), status: z.string().optional(), incomplete_details: z.looseObject({ reason: z.string().optional() }).nullish() });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function read(form: AnswerForm, value: unknown, summary: AnswerSummary): void {
  if (form === 'chat') {
    const parsed = chatAnswer.safeParse(value);
    if (!parsed.success) return;
    summary.responseModel ??= parsed.data.model;
    for (const choice of parsed.data.choices ?? []) if (choice.finish_reason) (summary.finishReasons ??= []).push(choice.finish_reason);
  } else if (form === 'messages') {
    const parsed = message.safeParse(value);
    if (!parsed.success) return;
    summary.responseModel ??= parsed.data.model;
    if (parsed.data.stop_reason) summary.finishReasons = [parsed.data.stop_reason];
  } else {
    const parsed = response.safeParse(value);
    if (!parsed.success) return;
    summary.responseModel ??= parsed.data.model;
    const reason = parsed.data.incomplete_details?.reason ?? parsed.data.status;
    if (reason) summary.finishReasons = [reason];
  }
}

function summarizeAnswer(form: AnswerForm, body: string): AnswerSummary {
  const summary: AnswerSummary = {};
  read(form, parseJson(body), summary);
  return summary;
}

function observeAnswerStream(form: AnswerForm): { feed(text: string): void; summary: AnswerSummary } {
  const summary: AnswerSummary = {};
  let first = true;
  const parser = createParser({
    onEvent(event) {
      const isFirst = first;
      first = false;
      if (form === 'chat') {
        // The first chunk names the model; the chunks that end a choice say why.
        if (isFirst || event.data.includes('"finish_reason":"')) read('chat', parseJson(event.data), summary);
      } else if (form === 'messages') {
        if (event.event === 'message_start') read('messages', (parseJson(event.data) as { message?: unknown } | undefined)?.message, summary);
        else if (event.event === 'message_delta') read('messages', { ...(parseJson(event.data) as { delta?: object } | undefined)?.delta }, summary);
      } else if (event.event === 'response.completed' || event.event === 'response.incomplete' || event.event === 'response.failed') {
        read('responses', (parseJson(event.data) as { response?: unknown } | undefined)?.response, summary);
      }
    },
  });
  return { feed: (text) => parser.feed(text), summary };
}

export const answerReader: AnswerReader = { json: summarizeAnswer, stream: observeAnswerStream };
