import type { IncomingMessage } from 'node:http';
import { embeddingsAnswer } from './openai-embeddings-scenarios.ts';
import { responsesAnswer } from './openai-responses-scenarios.ts';
import {
  answerText,
  bigAnswerText,
  documentedUsage,
  type DocumentedUsage,
  HELLO_TEXT,
  LENGTH_PIECES,
  echoedHeaderValues,
  isRecord,
  LATE_USAGE_PAUSE_MS,
  longLineSteps,
  nowSeconds,
  randomId,
  sendHtml,
  sendRedirect,
  sizedPieces,
  SPLIT_CHARACTERS,
  SPLIT_TEXT,
  SHELL_TASK_ANSWER_PREFIX,
  SHELL_TASK_COMMAND,
  tokenPieces,
  TOOL_CALLS,
  type ChatContext,
  type ErrorReply,
  type Protocol,
  type Scenario,
} from './scenarios.ts';
import {
  dataFrame,
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

// The OpenAI Chat Completions wire format: `chat.completion` objects, `chat.completion.chunk`
// SSE data lines ended by `data: [DONE]`, tool calls streamed as indexed fragments, and the
// `{error: {message, type, param, code}}` error body.

const SYSTEM_FINGERPRINT = 'fp_f33640a400';
const TEXT_PROMPT_TOKENS = 19;
const TOOLS_PROMPT_TOKENS = 84;

interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number; cache_write_tokens?: number };
  completion_tokens_details: { reasoning_tokens: number; audio_tokens: number; accepted_prediction_tokens: number; rejected_prediction_tokens: number };
}

function usage(prompt: number, completion: number): OpenAIUsage {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function documentedTotals(documented: DocumentedUsage): OpenAIUsage {
  const totals = usage(documented.uncached + documented.cacheRead + documented.cacheWrite, documented.output);
  totals.prompt_tokens_details.cached_tokens = documented.cacheRead;
  if (documented.cacheWrite > 0) totals.prompt_tokens_details.cache_write_tokens = documented.cacheWrite;
  totals.completion_tokens_details.reasoning_tokens = documented.reasoning;
  return totals;
}

function errorBody(message: string, type: string, param: string | null = null, code: string | null = null) {
  return { error: { message, type, param, code } };
}

const SERVER_ERROR: ErrorReply = {
  status: 500,
  body: errorBody('The server had an error while processing your request. Sorry about that!', 'server_error'),
};

function rateLimited(model: string, retryAfterSeconds: number): ErrorReply {
  return {
    status: 429,
    body: errorBody(
      `Rate limit reached for ${model} in organization org-fakeupstream on requests per min (RPM): Limit 3, Used 3, Requested 1. ` +
        `Please try again in ${retryAfterSeconds}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      'requests',
      null,
      'rate_limit_exceeded',
    ),
    headers: {
      'retry-after': String(retryAfterSeconds),
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': `${retryAfterSeconds}s`,
    },
  };
}

function sendError(context: ChatContext, reply: ErrorReply): void {
  sendJson(context.res, reply.status, reply.body, context.progress, reply.headers);
}

/** Builds the `chat.completion.chunk` frames of one answer: same id, created and model on every chunk. */
class ChunkWriter {
  private readonly id = `chatcmpl-${randomId(29)}`;
  private readonly created = nowSeconds();

  constructor(
    private readonly model: string,
    /** With stream_options.include_usage every chunk carries `usage: null` and a usage-only chunk precedes [DONE]. */
    readonly includeUsage: boolean,
    /** OpenAI pads chunks with a random `obfuscation` string unless stream_options.include_obfuscation is false. */
    private readonly obfuscate: boolean,
    private readonly eol: LineEnding,
  ) {}

  chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
    return this.frame([{ index: 0, delta, logprobs: null, finish_reason: finishReason }], this.includeUsage ? null : undefined);
  }

  /** The first chunk announces the role, with empty content. */
  role(): string {
    return this.chunk({ role: 'assistant', content: '', refusal: null });
  }

  content(text: string): string {
    return this.chunk({ content: text });
  }

  finish(reason: 'stop' | 'tool_calls' | 'length'): string {
    return this.chunk({}, reason);
  }

  /** The finish chunk, the usage chunk when asked for (with `choices: []`), then [DONE] unless left out. */
  tail(reason: 'stop' | 'tool_calls' | 'length', totals: OpenAIUsage, withDone = true): string[] {
    const frames = [this.finish(reason)];
    if (this.includeUsage) frames.push(this.frame([], totals));
    if (withDone) frames.push(`data: [DONE]${this.eol}${this.eol}`);
    return frames;
  }

  private frame(choices: unknown[], usageValue: OpenAIUsage | null | undefined): string {
    const chunk: Record<string, unknown> = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
    };
    if (usageValue !== undefined) chunk.usage = usageValue;
    if (this.obfuscate) chunk.obfuscation = randomId(1 + Math.floor(Math.random() * 15));
    return dataFrame(JSON.stringify(chunk), this.eol);
  }
}

function chunkWriter(context: ChatContext, eol: LineEnding = '\n'): ChunkWriter {
  const options = context.body.stream_options;
  const includeUsage = isRecord(options) && options.include_usage === true;
  const obfuscate = !(isRecord(options) && options.include_obfuscation === false);
  return new ChunkWriter(context.model, includeUsage, obfuscate, eol);
}

function completion(model: string, message: Record<string, unknown>, finishReason: string, totals: OpenAIUsage) {
  return {
    id: `chatcmpl-${randomId(29)}`,
    object: 'chat.completion',
    created: nowSeconds(),
    model,
    choices: [{ index: 0, message: { role: 'assistant', ...message, refusal: null, annotations: [] }, logprobs: null, finish_reason: finishReason }],
    usage: totals,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

function stream(context: ChatContext, steps: Iterable<StreamStep>, ending: 'end' | 'hang' = 'end'): Promise<void> {
  startEventStream(context.res);
  return runSteps(context.res, steps, context.progress, ending);
}

// ---------------------------------------------------------------------------------------------
// Scenarios

type TextVariant = 'text' | 'crlf' | 'no-done' | 'error-after-200' | 'truncated';

function textAnswer(context: ChatContext, variant: TextVariant): void | Promise<void> {
  const content = answerText(context.body);
  const pieces = tokenPieces(content);
  const documented = documentedUsage(context.model);
  const totals = documented ? documentedTotals(documented) : usage(TEXT_PROMPT_TOKENS, pieces.length);
  if (!context.stream) {
    const body = JSON.stringify(completion(context.model, { content }, 'stop', totals));
    if (variant === 'truncated') {
      // The body stops half way, without Content-Length: the client sees invalid JSON at the end.
      context.res.writeHead(200, { 'content-type': 'application/json' });
      return runSteps(context.res, [body.slice(0, body.length >> 1)], context.progress);
    }
    return sendBody(context.res, 200, 'application/json', body, context.progress);
  }

  const writer = chunkWriter(context, variant === 'crlf' ? '\r\n' : '\n');
  const frames = [writer.role(), ...pieces.map((piece) => writer.content(piece))];
  switch (variant) {
    case 'error-after-200':
      // What OpenAI sends when generation fails after the 200: an error object as a data line.
      return stream(context, [...frames.slice(0, 3), dataFrame('{"error":{"message":"Upstream overloaded","type":"server_error"}}')]);
    case 'truncated':
      return stream(context, frames.slice(0, 3));
    case 'no-done':
      return stream(context, [...frames, ...writer.tail('stop', totals, false)]);
    default:
      return stream(context, [...frames, ...writer.tail('stop', totals)]);
  }
}

/** The text answer cut by max_tokens: finish_reason "length". */
function lengthAnswer(context: ChatContext): void | Promise<void> {
  const pieces = tokenPieces(HELLO_TEXT).slice(0, LENGTH_PIECES);
  const totals = usage(TEXT_PROMPT_TOKENS, pieces.length);
  if (!context.stream) return sendJson(context.res, 200, completion(context.model, { content: pieces.join('') }, 'length', totals), context.progress);
  const writer = chunkWriter(context);
  return stream(context, [writer.role(), ...pieces.map((piece) => writer.content(piece)), ...writer.tail('length', totals)]);
}

function splitAnswer(context: ChatContext): Promise<void> {
  const pieces = tokenPieces(SPLIT_TEXT);
  const totals = usage(TEXT_PROMPT_TOKENS, pieces.length);
  if (!context.stream) {
    const body = JSON.stringify(completion(context.model, { content: SPLIT_TEXT }, 'stop', totals));
    context.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    return runSteps(context.res, splitInsideCharacters(body, SPLIT_CHARACTERS), context.progress);
  }
  const writer = chunkWriter(context);
  const steps: StreamStep[] = [writer.role()];
  pieces.forEach((piece, index) => {
    const frame = writer.content(piece);
    const inside = SPLIT_CHARACTERS.filter((character) => piece.includes(character));
    if (inside.length > 0) steps.push(...splitInsideCharacters(frame, inside));
    else if (index === 1) steps.push(...splitFrameInTwo(frame));
    else steps.push(frame);
  });
  steps.push(...writer.tail('stop', totals));
  return stream(context, steps);
}

/** `{"city":"Paris"}` → `{"`, `city`, `":"`, `Paris`, `"}`: how OpenAI fragments arguments. */
function argumentPieces(json: string): string[] {
  return json.match(/[{}":,]+|[^{}":,]+/g) ?? [json];
}

function toolsAnswer(context: ChatContext): void | Promise<void> {
  const calls = TOOL_CALLS.map((call) => ({ id: `call_${randomId(24)}`, name: call.name, arguments: JSON.stringify(call.input) }));
  const fragments = calls.map((call) => argumentPieces(call.arguments));
  const totals = usage(TOOLS_PROMPT_TOKENS, fragments.flat().length + 12);
  if (!context.stream) {
    const toolCalls = calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
    return sendJson(context.res, 200, completion(context.model, { content: null, tool_calls: toolCalls }, 'tool_calls', totals), context.progress);
  }
  const writer = chunkWriter(context);
  const frames: string[] = [];
  calls.forEach((call, index) => {
    const opening = [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }];
    // The first call arrives in the role chunk; later ones open with their own chunk.
    frames.push(index === 0 ? writer.chunk({ role: 'assistant', content: null, tool_calls: opening, refusal: null }) : writer.chunk({ tool_calls: opening }));
    for (const piece of fragments[index] ?? []) frames.push(writer.chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  return stream(context, [...frames, ...writer.tail('tool_calls', totals)]);
}

/** Each coding agent's shell tool and how it takes a command line. */
const SHELL_TOOLS: Record<string, (command: string) => Record<string, unknown>> = {
  Bash: (command) => ({ command, description: 'Print note.txt' }), // Claude Code
  exec_command: (command) => ({ cmd: command }), // Codex
  shell_command: (command) => ({ command }),
  shell: (command) => ({ command: ['bash', '-lc', command] }),
};

/**
 * A coding agent's task in two turns, as a model would do it: first a call of the client's own
 * shell tool (found among the request's tools) to run SHELL_TASK_COMMAND; once the request
 * carries that tool's result, a text answer quoting it. The client runs the command itself, so
 * the answer can only hold the command's output if the tool really ran.
 */
function shellTaskAnswer(context: ChatContext): void | Promise<void> {
  const messages = Array.isArray(context.body.messages) ? context.body.messages.filter(isRecord) : [];
  const result = messages.filter((message) => message.role === 'tool').at(-1);
  if (result !== undefined) {
    const output = typeof result.content === 'string' ? result.content : JSON.stringify(result.content);
    return fixedTextAnswer(context, `${SHELL_TASK_ANSWER_PREFIX}\n${output}`);
  }
  const tools = Array.isArray(context.body.tools) ? context.body.tools.filter(isRecord) : [];
  const name = tools.map((tool) => (isRecord(tool.function) ? tool.function.name : undefined)).find((candidate) => typeof candidate === 'string' && candidate in SHELL_TOOLS) as string | undefined;
  if (name === undefined) return fixedTextAnswer(context, 'No shell tool among the tools sent.');
  const call = { id: `call_${randomId(24)}`, name, arguments: JSON.stringify(SHELL_TOOLS[name]!(SHELL_TASK_COMMAND)) };
  const totals = usage(TOOLS_PROMPT_TOKENS, argumentPieces(call.arguments).length + 6);
  if (!context.stream) {
    const toolCalls = [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }];
    return sendJson(context.res, 200, completion(context.model, { content: null, tool_calls: toolCalls }, 'tool_calls', totals), context.progress);
  }
  const writer = chunkWriter(context);
  const opening = writer.chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }], refusal: null });
  const fragments = argumentPieces(call.arguments).map((piece) => writer.chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
  return stream(context, [opening, ...fragments, ...writer.tail('tool_calls', totals)]);
}

function fixedTextAnswer(context: ChatContext, content: string): void | Promise<void> {
  const pieces = tokenPieces(content);
  const totals = usage(TEXT_PROMPT_TOKENS, pieces.length);
  if (!context.stream) return sendJson(context.res, 200, completion(context.model, { content }, 'stop', totals), context.progress);
  const writer = chunkWriter(context);
  return stream(context, [writer.role(), ...pieces.map((piece) => writer.content(piece)), ...writer.tail('stop', totals)]);
}

function* slowSteps(writer: ChunkWriter, intervalMs: number, chunks: number): Generator<StreamStep> {
  yield writer.role() + writer.content('Chunk 1.');
  for (let index = 2; index <= chunks; index++) {
    yield intervalMs;
    yield writer.content(` Chunk ${index}.`);
  }
  yield intervalMs;
  yield writer.tail('stop', usage(TEXT_PROMPT_TOKENS, chunks * 4)).join('');
}

async function slowAnswer(context: ChatContext, scenario: Extract<Scenario, { kind: 'slow' }>): Promise<void> {
  if (!context.stream) {
    if (await waitUnlessClosed(context.res, scenario.intervalMs)) return textAnswer(context, 'text');
    return;
  }
  return stream(context, slowSteps(chunkWriter(context), scenario.intervalMs, scenario.chunks));
}

function hangBody(context: ChatContext): Promise<void> {
  if (!context.stream) {
    context.res.writeHead(200, { 'content-type': 'application/json' });
    return runSteps(context.res, [`{"id":"chatcmpl-${randomId(29)}","object":"chat.completion","created":${nowSeconds()},`], context.progress, 'hang');
  }
  const writer = chunkWriter(context);
  return stream(context, [writer.role() + writer.content('Hello')], 'hang');
}

function bigAnswer(context: ChatContext): void | Promise<void> {
  const content = bigAnswerText();
  const pieces = sizedPieces(content, 16 * 1024);
  const totals = usage(TEXT_PROMPT_TOKENS, Math.ceil(content.length / 4));
  if (!context.stream) return sendJson(context.res, 200, completion(context.model, { content }, 'stop', totals), context.progress);
  const writer = chunkWriter(context);
  return stream(context, [writer.role(), ...pieces.map((piece) => writer.content(piece)), ...writer.tail('stop', totals)]);
}

/** The answer up to its finish_reason, a pause, then the usage chunk and [DONE]. */
function lateUsageAnswer(context: ChatContext): void | Promise<void> {
  if (!context.stream) return textAnswer(context, 'text');
  const pieces = tokenPieces(answerText(context.body));
  const writer = chunkWriter(context);
  const [finish, ...rest] = writer.tail('stop', usage(TEXT_PROMPT_TOKENS, pieces.length));
  return stream(context, [writer.role(), ...pieces.map((piece) => writer.content(piece)), finish!, LATE_USAGE_PAUSE_MS, rest.join('')]);
}

/** A role chunk, then one data line of `bytes` that never ends: the body closes (or hangs) inside it. */
function longLineAnswer(context: ChatContext, scenario: Extract<Scenario, { kind: 'long-line' }>): void | Promise<void> {
  if (!context.stream) return textAnswer(context, 'text');
  const writer = chunkWriter(context);
  const head = `${writer.role()}data: {"id":"chatcmpl-${randomId(29)}","object":"chat.completion.chunk","created":${nowSeconds()},"model":${JSON.stringify(context.model)},"choices":[{"index":0,"delta":{"content":"`;
  return stream(context, longLineSteps(head, scenario.bytes), scenario.hang ? 'hang' : 'end');
}

/**
 * An error whose message repeats the request's custom header values, as some providers echo what
 * they were sent: a 401, or for a stream a 200 whose stream then fails with it.
 */
function echoHeaders(context: ChatContext): void | Promise<void> {
  const message = `Invalid credentials (${echoedHeaderValues(context.req)})`;
  if (!context.stream) return sendError(context, { status: 401, body: errorBody(message, 'invalid_request_error', null, 'invalid_api_key') });
  const writer = chunkWriter(context);
  return stream(context, [writer.role(), writer.content('Hello'), dataFrame(JSON.stringify(errorBody(message, 'invalid_request_error')))]);
}

// ---------------------------------------------------------------------------------------------
// Benchmark: hand-built strings, no randomness, the non-streamed answer cached per model.

let benchCounter = 0;
const benchCompletions = new Map<string, Buffer>();

function benchCompletion(model: string): Buffer {
  let body = benchCompletions.get(model);
  if (!body) {
    const build = (content: string) => JSON.stringify(completion(model, { content }, 'stop', usage(TEXT_PROMPT_TOKENS, 64)));
    const filler = 'The benchmark answer is padded to about six hundred bytes of JSON. ';
    const missing = Math.max(0, 600 - Buffer.byteLength(build('')));
    body = Buffer.from(build(filler.repeat(Math.ceil(missing / filler.length)).slice(0, missing)));
    benchCompletions.set(model, body);
  }
  return body;
}

/** The send time in ms since the epoch, sub-millisecond, JSON-safe without escaping. */
function sendTime(): string {
  return String(performance.timeOrigin + performance.now());
}

function benchAnswer(context: ChatContext, scenario: Extract<Scenario, { kind: 'bench' }>): void | Promise<void> {
  if (!context.stream) return sendBody(context.res, 200, 'application/json', benchCompletion(context.model), context.progress);
  const options = context.body.stream_options;
  const includeUsage = isRecord(options) && options.include_usage === true;
  const head = `data: {"id":"chatcmpl-bench${++benchCounter}","object":"chat.completion.chunk","created":${nowSeconds()},"model":${JSON.stringify(context.model)},"system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":[{"index":0,"delta":`;
  const end = includeUsage ? ',"usage":null}\n\n' : '}\n\n';
  const role = `${head}{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]${end}`;
  const content = (text: string) => `${head}{"content":"${text}"},"logprobs":null,"finish_reason":null}]${end}`;
  let tail = `${head}{},"logprobs":null,"finish_reason":"stop"}]${end}`;
  if (includeUsage) {
    tail += `data: ${JSON.stringify({
      id: `chatcmpl-bench${benchCounter}`,
      object: 'chat.completion.chunk',
      created: nowSeconds(),
      model: context.model,
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices: [],
      usage: usage(TEXT_PROMPT_TOKENS, scenario.chunks),
    })}\n\n`;
  }
  tail += 'data: [DONE]\n\n';

  if (scenario.intervalMs === 0) {
    // Back to back: the whole answer in one write.
    let all = role;
    for (let index = 0; index < scenario.chunks; index++) all += content(sendTime());
    return stream(context, [all + tail]);
  }
  function* paced(): Generator<StreamStep> {
    if (scenario.chunks > 0) yield role + content(sendTime());
    else yield role;
    for (let index = 1; index < scenario.chunks; index++) {
      yield scenario.intervalMs;
      yield content(sendTime());
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
      return sendError(context, rateLimited(context.model, 30));
    case 'rate-limited':
      return sendError(context, rateLimited(context.model, scenario.retryAfterSeconds));
    case 'flaky-500':
      return context.attempt % 2 === 1 ? sendError(context, SERVER_ERROR) : textAnswer(context, 'text');
    case 'retry-after':
      return context.attempt % 2 === 1 ? sendError(context, rateLimited(context.model, 1)) : textAnswer(context, 'text');
    case 'hang-body':
      return hangBody(context);
    case 'tools':
      return toolsAnswer(context);
    case 'shell-task':
      return shellTaskAnswer(context);
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
    case 'no-done':
    case 'error-after-200':
    case 'truncated':
      return textAnswer(context, scenario.kind);
    case 'length':
      return lengthAnswer(context);
    case 'text':
      return textAnswer(context, 'text');
  }
}

function authFailure(req: IncomingMessage): ErrorReply | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  const key = match?.[1]?.trim();
  if (!key) {
    return {
      status: 401,
      body: errorBody(
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), " +
          "or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. " +
          'You can obtain an API key from https://platform.openai.com/account/api-keys.',
        'invalid_request_error',
      ),
    };
  }
  if (key.startsWith('sk-wrong')) {
    // The real message echoes the (partly masked) key; this one echoes it whole so a test can
    // prove the gateway never passes an upstream's error message through unscrubbed.
    return {
      status: 401,
      body: errorBody(`Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key'),
    };
  }
  return undefined;
}

export const openAIProtocol: Protocol = {
  name: 'openai',
  prefix: '/openai/v1',
  chatPath: '/chat/completions',
  modelsPath: '/models',
  headers: () => ({ 'openai-version': '2020-10-01', 'openai-processing-ms': '42' }),
  authFailure,
  invalidJson: () => ({
    status: 400,
    body: errorBody(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      'invalid_request_error',
    ),
  }),
  validate(body) {
    if (typeof body.model !== 'string' || body.model === '') return { status: 400, body: errorBody('you must provide a model parameter', 'invalid_request_error') };
    if (!Array.isArray(body.messages)) {
      return { status: 400, body: errorBody("Missing required parameter: 'messages'.", 'invalid_request_error', 'messages', 'missing_required_parameter') };
    }
    return undefined;
  },
  notFound: (method, path) => ({ status: 404, body: errorBody(`Invalid URL (${method} ${path})`, 'invalid_request_error') }),
  models: (extra) => ({
    object: 'list',
    data: [
      { id: 'gpt-test', object: 'model', created: 1715367049, owned_by: 'system' },
      { id: 'tools', object: 'model', created: 1721172741, owned_by: 'system' },
      { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
      { id: 'o3-mini', object: 'model', created: 1737146383, owned_by: 'system' },
      { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
      ...extra.map((id) => ({ id, object: 'model', created: 1705948997, owned_by: 'system' })),
    ],
  }),
  chat,
  extraPosts: { '/responses': responsesAnswer, '/embeddings': embeddingsAnswer },
};
