import { documentedUsage, HELLO_TEXT, nowSeconds, randomId, tokenPieces, type ChatContext } from './scenarios.ts';
import { eventFrame, runSteps, sendJson, startEventStream } from './sse-writer.ts';

// OpenAI's Responses API (POST /responses) as OpenAI serves it, for providers created with
// `responsesApi: true`: a Response object, or its event stream (named events, each with a rising
// sequence_number). The text answer only: the gateway passes it on without reading more than the
// usage. https://platform.openai.com/docs/api-reference/responses-streaming

const INPUT_TOKENS = 17;

export function responsesAnswer(context: ChatContext): void | Promise<void> {
  const pieces = tokenPieces(HELLO_TEXT);
  const id = `resp_${randomId(48)}`;
  const itemId = `msg_${randomId(48)}`;
  const documented = documentedUsage(context.model);
  const usage = documented
    ? {
        input_tokens: documented.uncached + documented.cacheRead + documented.cacheWrite,
        input_tokens_details: { cached_tokens: documented.cacheRead },
        output_tokens: documented.output,
        output_tokens_details: { reasoning_tokens: documented.reasoning },
        total_tokens: documented.uncached + documented.cacheRead + documented.cacheWrite + documented.output,
      }
    : { input_tokens: INPUT_TOKENS, input_tokens_details: { cached_tokens: 0 }, output_tokens: pieces.length, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: INPUT_TOKENS + pieces.length };
  const part = { type: 'output_text', text: HELLO_TEXT, annotations: [], logprobs: [] };
  const item = { id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [part] };
  const response = (status: string, output: unknown[], withUsage: boolean) => ({
    id,
    object: 'response',
    created_at: nowSeconds(),
    status,
    error: null,
    incomplete_details: null,
    model: context.model,
    output,
    previous_response_id: context.body.previous_response_id ?? null,
    store: context.body.store !== false,
    usage: withUsage ? usage : null,
  });
  if (!context.stream) return sendJson(context.res, 200, response('completed', [item], true), context.progress);
  let sequence = 0;
  const event = (type: string, body: Record<string, unknown>) => eventFrame(type, JSON.stringify({ type, ...body, sequence_number: sequence++ }));
  const frames = [
    event('response.created', { response: response('in_progress', [], false) }),
    event('response.in_progress', { response: response('in_progress', [], false) }),
    event('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }),
    event('response.content_part.added', { item_id: itemId, output_index: 0, content_index: 0, part: { ...part, text: '' } }),
    ...pieces.map((delta) => event('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta, logprobs: [] })),
    event('response.output_text.done', { item_id: itemId, output_index: 0, content_index: 0, text: HELLO_TEXT, logprobs: [] }),
    event('response.content_part.done', { item_id: itemId, output_index: 0, content_index: 0, part }),
    event('response.output_item.done', { output_index: 0, item }),
    event('response.completed', { response: response('completed', [item], true) }),
  ];
  startEventStream(context.res);
  return runSteps(context.res, frames, context.progress);
}
