import type { IncomingMessage } from 'node:http';
import {
  answerText,
  bigAnswerText,
  documentedUsage,
  HELLO_TEXT,
  LENGTH_PIECES,
  echoedHeaderValues,
  LATE_USAGE_PAUSE_MS,
  longLineSteps,
  randomId,
  sendHtml,
  sendRedirect,
  sizedPieces,
  SPLIT_CHARACTERS,
  SPLIT_TEXT,
  tokenPieces,
  TOOL_CALLS,
  type ChatContext,
  type ErrorReply,
  type Protocol,
  type Scenario,
} from './scenarios.ts';
import {
  eventFrame,
  runSteps,
  sendBody,
  sendJson,
  splitFrameInTwo,
  splitInsideCharacters,
  startEventStream,
  waitUnlessClosed,
  type LineEnding,
  type StreamStep,
} from './sse-writer.ts';

// The Anthropic Messages wire format: `message` objects with typed content blocks, named SSE
// events (message_start, content_block_start/delta/stop, message_delta, message_stop, ping,
// error) and the `{type: 'error', error: {type, message}}` error body.

interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

// Cache counts are non-zero on purpose: a gateway converting to OpenAI usage must add them up.
const TEXT_USAGE = { input_tokens: 21, cache_creation_input_tokens: 8, cache_read_input_tokens: 64 };
const TOOLS_USAGE = { input_tokens: 412, cache_creation_input_tokens: 0, cache_read_input_tokens: 256 };

function usage(input: Omit<AnthropicUsage, 'output_tokens'>, outputTokens: number): AnthropicUsage {
  return { ...input, output_tokens: outputTokens };
}

/** The full usage object of a message (and of message_start), as the API returns it today. */
function messageUsage(totals: AnthropicUsage) {
  return {
    input_tokens: totals.input_tokens,
    cache_creation_input_tokens: totals.cache_creation_input_tokens,
    cache_read_input_tokens: totals.cache_read_input_tokens,
    cache_creation: { ephemeral_5m_input_tokens: totals.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: totals.output_tokens,
    service_tier: 'standard',
  };
}

function errorBody(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

const SERVER_ERROR: ErrorReply = { status: 500, body: errorBody('api_error', 'Internal server error') };

function rateLimited(retryAfterSeconds: number): ErrorReply {
  return {
    status: 429,
    body: errorBody(
      'rate_limit_error',
      'This request would exceed the rate limit for your organization of 50 requests per minute. ' +
        'For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage.',
    ),
    headers: {
      'retry-after': String(retryAfterSeconds),
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': new Date(Date.now() + retryAfterSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    },
  };
}

function sendError(context: ChatContext, reply: ErrorReply): void {
  sendJson(context.res, reply.status, reply.body, context.progress, reply.headers);
}

type ContentBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

function message(model: string, content: ContentBlock[], stopReason: 'end_turn' | 'tool_use' | 'max_tokens', totals: AnthropicUsage) {
  return {
    id: `msg_01${randomId(22)}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: messageUsage(totals),
  };
}

/** Builds the named events of one streamed message. */
class EventWriter {
  private readonly id = `msg_01${randomId(22)}`;

  constructor(
    private readonly model: string,
    private readonly eol: LineEnding = '\n',
  ) {}

  event(type: string, data: Record<string, unknown> = {}): string {
    return eventFrame(type, JSON.stringify({ type, ...data }), this.eol);
  }

  /** The message with empty content; input and cache counts are final here, output_tokens is not. */
  messageStart(totals: AnthropicUsage): string {
    const start = { id: this.id, type: 'message', role: 'assistant', model: this.model, content: [], stop_reason: null, stop_sequence: null };
    return this.event('message_start', { message: { ...start, usage: messageUsage({ ...totals, output_tokens: 1 }) } });
  }

  textStart(index: number): string {
    return this.event('content_block_start', { index, content_block: { type: 'text', text: '' } });
  }

  textDelta(index: number, text: string): string {
    return this.event('content_block_delta', { index, delta: { type: 'text_delta', text } });
  }

  toolStart(index: number, id: string, name: string): string {
    return this.event('content_block_start', { index, content_block: { type: 'tool_use', id, name, input: {} } });
  }

  jsonDelta(index: number, partialJson: string): string {
    return this.event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: partialJson } });
  }

  blockStop(index: number): string {
    return this.event('content_block_stop', { index });
  }

  ping(): string {
    return this.event('ping');
  }

  /** The stop reason and the cumulative usage, then message_stop. */
  end(stopReason: 'end_turn' | 'tool_use' | 'max_tokens', totals: AnthropicUsage): string[] {
    return [this.event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: totals }), this.event('message_stop')];
  }
}

function stream(context: ChatContext, steps: Iterable<StreamStep>, ending: 'end' | 'hang' = 'end'): Promise<void> {
  startEventStream(context.res);
  return runSteps(context.res, steps, context.progress, ending);
}

/** message_start, the text block's start and a ping (Anthropic sends one early in every stream). */
function preamble(writer: EventWriter, totals: AnthropicUsage): string[] {
  return [writer.messageStart(totals), writer.textStart(0), writer.ping()];
}

// ---------------------------------------------------------------------------------------------
// Scenarios

type TextVariant = 'text' | 'crlf' | 'error-after-200' | 'truncated';

/** The text answer cut by max_tokens: stop_reason "max_tokens". */
function lengthAnswer(context: ChatContext): void | Promise<void> {
  const pieces = tokenPieces(HELLO_TEXT).slice(0, LENGTH_PIECES);
  const totals = usage(TEXT_USAGE, pieces.length);
  if (!context.stream) return sendJson(context.res, 200, message(context.model, [{ type: 'text', text: pieces.join('') }], 'max_tokens', totals), context.progress);
  const writer = new EventWriter(context.model, '\n');
  return stream(context, [...preamble(writer, totals), ...pieces.map((piece) => writer.textDelta(0, piece)), writer.blockStop(0), ...writer.end('max_tokens', totals)]);
}

function textAnswer(context: ChatContext, variant: TextVariant): void | Promise<void> {
  const text = answerText(context.body);
  const pieces = tokenPieces(text);
  const documented = documentedUsage(context.model);
  const totals = documented
    ? { input_tokens: documented.uncached, cache_creation_input_tokens: documented.cacheWrite, cache_read_input_tokens: documented.cacheRead, output_tokens: documented.output }
    : usage(TEXT_USAGE, pieces.length);
  if (!context.stream) {
    const body = JSON.stringify(message(context.model, [{ type: 'text', text }], 'end_turn', totals));
    if (variant === 'truncated') {
      // The body stops half way, without Content-Length: the client sees invalid JSON at the end.
      context.res.writeHead(200, { 'content-type': 'application/json' });
      return runSteps(context.res, [body.slice(0, body.length >> 1)], context.progress);
    }
    return sendBody(context.res, 200, 'application/json', body, context.progress);
  }

  const writer = new EventWriter(context.model, variant === 'crlf' ? '\r\n' : '\n');
  const frames = [...preamble(writer, totals), ...pieces.map((piece) => writer.textDelta(0, piece))];
  switch (variant) {
    case 'error-after-200':
      // What Anthropic sends when it is overloaded after the 200 (a 529 before it): an error event.
      return stream(context, [...frames.slice(0, 5), eventFrame('error', '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}')]);
    case 'truncated':
      // Content, then the connection ends: no content_block_stop, message_delta or message_stop.
      return stream(context, frames.slice(0, 5));
    default:
      return stream(context, [...frames, writer.blockStop(0), ...writer.end('end_turn', totals)]);
  }
}

function splitAnswer(context: ChatContext): Promise<void> {
  const pieces = tokenPieces(SPLIT_TEXT);
  const totals = usage(TEXT_USAGE, pieces.length);
  if (!context.stream) {
    const body = JSON.stringify(message(context.model, [{ type: 'text', text: SPLIT_TEXT }], 'end_turn', totals));
    context.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    return runSteps(context.res, splitInsideCharacters(body, SPLIT_CHARACTERS), context.progress);
  }
  const writer = new EventWriter(context.model);
  const steps: StreamStep[] = [...preamble(writer, totals)];
  pieces.forEach((piece, index) => {
    const frame = writer.textDelta(0, piece);
    const inside = SPLIT_CHARACTERS.filter((character) => piece.includes(character));
    if (inside.length > 0) steps.push(...splitInsideCharacters(frame, inside));
    else if (index === 1) steps.push(...splitFrameInTwo(frame));
    else steps.push(frame);
  });
  steps.push(writer.blockStop(0), ...writer.end('end_turn', totals));
  return stream(context, steps);
}

const TOOL_TEXTS = ["I'll check the weather in Paris first.", 'Now let me look up the local time there.'];

/** Anthropic's own spacing (`{"city": "Paris"}`), cut into short runs like its input_json_delta events. */
function inputJson(input: Record<string, unknown>): string {
  return `{${Object.entries(input)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
    .join(', ')}}`;
}

function toolsAnswer(context: ChatContext): void | Promise<void> {
  const calls = TOOL_CALLS.map((call) => ({ id: `toolu_01${randomId(22)}`, name: call.name, input: call.input }));
  const totals = usage(TOOLS_USAGE, 96);
  if (!context.stream) {
    // Interleaved: text, tool_use, text, tool_use, as Claude does when it explains each call.
    const content: ContentBlock[] = calls.flatMap((call, index) => [
      { type: 'text' as const, text: TOOL_TEXTS[index] ?? '' },
      { type: 'tool_use' as const, id: call.id, name: call.name, input: call.input },
    ]);
    return sendJson(context.res, 200, message(context.model, content, 'tool_use', totals), context.progress);
  }
  const writer = new EventWriter(context.model);
  const frames: string[] = [writer.messageStart(totals)];
  calls.forEach((call, index) => {
    const textIndex = index * 2;
    const toolIndex = textIndex + 1;
    frames.push(writer.textStart(textIndex));
    if (index === 0) frames.push(writer.ping());
    for (const piece of tokenPieces(TOOL_TEXTS[index] ?? '')) frames.push(writer.textDelta(textIndex, piece));
    frames.push(writer.blockStop(textIndex), writer.toolStart(toolIndex, call.id, call.name));
    // Anthropic opens every tool input with an empty partial_json.
    for (const piece of ['', ...sizedPieces(inputJson(call.input), 7)]) frames.push(writer.jsonDelta(toolIndex, piece));
    frames.push(writer.blockStop(toolIndex));
  });
  return stream(context, [...frames, ...writer.end('tool_use', totals)]);
}

function* slowSteps(writer: EventWriter, intervalMs: number, chunks: number): Generator<StreamStep> {
  const totals = usage(TEXT_USAGE, chunks * 4);
  yield preamble(writer, totals).join('') + writer.textDelta(0, 'Chunk 1.');
  for (let index = 2; index <= chunks; index++) {
    yield intervalMs;
    yield writer.textDelta(0, ` Chunk ${index}.`);
  }
  yield intervalMs;
  yield [writer.blockStop(0), ...writer.end('end_turn', totals)].join('');
}

async function slowAnswer(context: ChatContext, scenario: Extract<Scenario, { kind: 'slow' }>): Promise<void> {
  if (!context.stream) {
    if (await waitUnlessClosed(context.res, scenario.intervalMs)) return textAnswer(context, 'text');
    return;
  }
  return stream(context, slowSteps(new EventWriter(context.model), scenario.intervalMs, scenario.chunks));
}

function hangBody(context: ChatContext): Promise<void> {
  if (!context.stream) {
    context.res.writeHead(200, { 'content-type': 'application/json' });
    return runSteps(context.res, [`{"id":"msg_01${randomId(22)}","type":"message","role":"assistant",`], context.progress, 'hang');
  }
  const writer = new EventWriter(context.model);
  return stream(context, [preamble(writer, usage(TEXT_USAGE, 1)).join('') + writer.textDelta(0, 'Hello')], 'hang');
}

function bigAnswer(context: ChatContext): void | Promise<void> {
  const text = bigAnswerText();
  const totals = usage(TEXT_USAGE, Math.ceil(text.length / 4));
  if (!context.stream) return sendJson(context.res, 200, message(context.model, [{ type: 'text', text }], 'end_turn', totals), context.progress);
  const writer = new EventWriter(context.model);
  const deltas = sizedPieces(text, 16 * 1024).map((piece) => writer.textDelta(0, piece));
  return stream(context, [...preamble(writer, totals), ...deltas, writer.blockStop(0), ...writer.end('end_turn', totals)]);
}

/** The answer up to message_delta (its stop reason and usage), a pause, then message_stop. */
function lateUsageAnswer(context: ChatContext): void | Promise<void> {
  if (!context.stream) return textAnswer(context, 'text');
  const pieces = tokenPieces(answerText(context.body));
  const totals = usage(TEXT_USAGE, pieces.length);
  const writer = new EventWriter(context.model);
  const [delta, stop] = writer.end('end_turn', totals);
  return stream(context, [...preamble(writer, totals), ...pieces.map((piece) => writer.textDelta(0, piece)), writer.blockStop(0), delta!, LATE_USAGE_PAUSE_MS, stop!]);
}

/** The preamble, then one text_delta data line of `bytes` that never ends: the body closes (or hangs) inside it. */
function longLineAnswer(context: ChatContext, scenario: Extract<Scenario, { kind: 'long-line' }>): void | Promise<void> {
  if (!context.stream) return textAnswer(context, 'text');
  const writer = new EventWriter(context.model);
  const head = `${preamble(writer, usage(TEXT_USAGE, 1)).join('')}event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"`;
  return stream(context, longLineSteps(head, scenario.bytes), scenario.hang ? 'hang' : 'end');
}

/**
 * An error whose message repeats the request's custom header values, as some providers echo what
 * they were sent: a 401, or for a stream a 200 whose stream then fails with it.
 */
function echoHeaders(context: ChatContext): void | Promise<void> {
  const message = `invalid credentials (${echoedHeaderValues(context.req)})`;
  if (!context.stream) return sendError(context, { status: 401, body: errorBody('authentication_error', message) });
  const writer = new EventWriter(context.model);
  return stream(context, [...preamble(writer, usage(TEXT_USAGE, 1)), writer.textDelta(0, 'Hello'), eventFrame('error', JSON.stringify(errorBody('api_error', message)))]);
}

// ---------------------------------------------------------------------------------------------
// Benchmark: the per-chunk event is hand-built around the send time; the rest once per request.

const benchMessages = new Map<string, Buffer>();

function benchMessage(model: string): Buffer {
  let body = benchMessages.get(model);
  if (!body) {
    const build = (text: string) => JSON.stringify(message(model, [{ type: 'text', text }], 'end_turn', usage(TEXT_USAGE, 64)));
    const filler = 'The benchmark answer is padded to about six hundred bytes of JSON. ';
    const missing = Math.max(0, 600 - Buffer.byteLength(build('')));
    body = Buffer.from(build(filler.repeat(Math.ceil(missing / filler.length)).slice(0, missing)));
    benchMessages.set(model, body);
  }
  return body;
}

function sendTime(): string {
  return String(performance.timeOrigin + performance.now());
}

function benchDelta(text: string): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${text}"}}\n\n`;
}

function benchAnswer(context: ChatContext, scenario: Extract<Scenario, { kind: 'bench' }>): void | Promise<void> {
  if (!context.stream) return sendBody(context.res, 200, 'application/json', benchMessage(context.model), context.progress);
  const writer = new EventWriter(context.model);
  const totals = usage(TEXT_USAGE, scenario.chunks);
  const head = writer.messageStart(totals) + writer.textStart(0);
  const tail = writer.blockStop(0) + writer.end('end_turn', totals).join('');
  if (scenario.intervalMs === 0) {
    let all = head;
    for (let index = 0; index < scenario.chunks; index++) all += benchDelta(sendTime());
    return stream(context, [all + tail]);
  }
  function* paced(): Generator<StreamStep> {
    yield scenario.chunks > 0 ? head + benchDelta(sendTime()) : head;
    for (let index = 1; index < scenario.chunks; index++) {
      yield scenario.intervalMs;
      yield benchDelta(sendTime());
    }
    yield tail;
  }
  return stream(context, paced());
}

// ---------------------------------------------------------------------------------------------

function chat(context: ChatContext): void | Promise<void> {
  const { scenario } = context;
  switch (scenario.kind) {
    case 'hang-headers':
      return; // Never answers: only the gateway's own timeout (or the client) ends this request.
    case 'redirect':
      return sendRedirect(context);
    case 'not-json':
      return sendHtml(context);
    case 'always-500':
      return sendError(context, SERVER_ERROR);
    case 'always-429':
      return sendError(context, rateLimited(30));
    case 'rate-limited':
      return sendError(context, rateLimited(scenario.retryAfterSeconds));
    case 'flaky-500':
      return context.attempt % 2 === 1 ? sendError(context, SERVER_ERROR) : textAnswer(context, 'text');
    case 'retry-after':
      return context.attempt % 2 === 1 ? sendError(context, rateLimited(1)) : textAnswer(context, 'text');
    case 'hang-body':
      return hangBody(context);
    case 'tools':
      return toolsAnswer(context);
    case 'split':
      return splitAnswer(context);
    case 'slow':
      return slowAnswer(context, scenario);
    case 'big':
      return bigAnswer(context);
    case 'bench':
      return benchAnswer(context, scenario);
    case 'late-usage':
      return lateUsageAnswer(context);
    case 'long-line':
      return longLineAnswer(context, scenario);
    case 'echo-headers':
      return echoHeaders(context);
    case 'crlf':
    case 'error-after-200':
    case 'truncated':
      return textAnswer(context, scenario.kind);
    case 'length':
      return lengthAnswer(context);
    case 'no-done': // An OpenAI-only failure ([DONE] does not exist here): the plain answer.
    case 'shell-task': // The CLI tests' task runs on OpenAI-protocol providers only.
    case 'text':
      return textAnswer(context, 'text');
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

function authFailure(req: IncomingMessage): ErrorReply | undefined {
  const key = headerValue(req, 'x-api-key');
  if (!key) return { status: 401, body: errorBody('authentication_error', 'x-api-key header is required') };
  if (key.startsWith('sk-wrong')) {
    // Anthropic's real message does not echo the key; this one does, so a test can prove the
    // gateway scrubs upstream error messages whichever provider they come from.
    return { status: 401, body: errorBody('authentication_error', `invalid x-api-key: ${key}`) };
  }
  // The real API answers a missing version with 400 invalid_request_error; the tests agreed on
  // treating it as an authentication failure, since the gateway must always send both headers.
  if (!headerValue(req, 'anthropic-version')) return { status: 401, body: errorBody('authentication_error', 'anthropic-version header is required') };
  return undefined;
}

const MODELS = [
  { type: 'model', id: 'claude-test', display_name: 'Claude Test', created_at: '2025-09-29T00:00:00Z' },
  { type: 'model', id: 'tools', display_name: 'Claude Tools Test', created_at: '2025-09-29T00:00:00Z' },
  { type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { type: 'model', id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00Z' },
];

export const anthropicProtocol: Protocol = {
  name: 'anthropic',
  prefix: '/anthropic',
  chatPath: '/v1/messages',
  modelsPath: '/v1/models',
  headers: (requestId) => ({ 'request-id': requestId, 'anthropic-organization-id': '7e4d1c2a-0b9f-4e55-9a53-fa4e0c1d2b3a' }),
  authFailure,
  invalidJson: () => ({ status: 400, body: errorBody('invalid_request_error', 'There was an issue with the JSON body of your request.') }),
  validate(body) {
    for (const [field, ok] of [
      ['model', typeof body.model === 'string' && body.model !== ''],
      ['max_tokens', typeof body.max_tokens === 'number'],
      ['messages', Array.isArray(body.messages)],
    ] as const) {
      if (!ok) return { status: 400, body: errorBody('invalid_request_error', `${field}: Field required`) };
    }
    return undefined;
  },
  notFound: () => ({ status: 404, body: errorBody('not_found_error', 'Not Found') }),
  models: (extra) => {
    const data = [...MODELS, ...extra.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-09-29T00:00:00Z' }))];
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  },
  chat,
  // https://docs.anthropic.com/en/api/messages-count-tokens: a count of its own (a third of the
  // messages' JSON), so a test tells it from the gateway's estimate (a quarter).
  extraPosts: { '/v1/messages/count_tokens': (context) => sendJson(context.res, 200, { input_tokens: Math.ceil(JSON.stringify(context.body.messages).length / 3) }, context.progress) },
};
