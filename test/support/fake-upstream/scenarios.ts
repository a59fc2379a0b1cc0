import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendBody, type StreamProgress } from './sse-writer.ts';

// What both protocols share: choosing the scenario from the request's model, the texts and tool
// calls every scenario answers with, and the id formats.

export type Scenario =
  | { kind: 'text'; usage?: DocumentedUsage }
  | { kind: 'length' }
  | { kind: 'tools' }
  | { kind: 'shell-task' }
  | { kind: 'crlf' }
  | { kind: 'split' }
  | { kind: 'no-done' }
  | { kind: 'error-after-200' }
  | { kind: 'truncated' }
  | { kind: 'slow'; intervalMs: number; chunks: number }
  | { kind: 'hang-headers' }
  | { kind: 'hang-body' }
  | { kind: 'flaky-500' }
  | { kind: 'retry-after' }
  | { kind: 'always-429' }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'always-500' }
  | { kind: 'redirect' }
  | { kind: 'big' }
  | { kind: 'not-json' }
  | { kind: 'late-usage' }
  | { kind: 'long-line'; bytes: number; hang: boolean }
  | { kind: 'echo-headers' }
  | { kind: 'bench'; chunks: number; intervalMs: number };

const FIXED: Record<string, Scenario> = {
  'gpt-test': { kind: 'text' },
  'claude-test': { kind: 'text' },
  tools: { kind: 'tools' },
  /** A coding agent's one-tool task: run SHELL_TASK_COMMAND with the client's shell tool, then answer with its output. */
  'shell-task': { kind: 'shell-task' },
  /** The text answer cut by max_tokens after its first three pieces. */
  length: { kind: 'length' },
  crlf: { kind: 'crlf' },
  split: { kind: 'split' },
  'no-done': { kind: 'no-done' },
  'error-after-200': { kind: 'error-after-200' },
  truncated: { kind: 'truncated' },
  slow: { kind: 'slow', intervalMs: 100, chunks: 100 },
  'hang-headers': { kind: 'hang-headers' },
  'hang-body': { kind: 'hang-body' },
  'flaky-500': { kind: 'flaky-500' },
  'retry-after': { kind: 'retry-after' },
  'always-429': { kind: 'always-429' },
  'always-500': { kind: 'always-500' },
  redirect: { kind: 'redirect' },
  big: { kind: 'big' },
  'not-json': { kind: 'not-json' },
  'late-usage': { kind: 'late-usage' },
  'echo-headers': { kind: 'echo-headers' },
};

/**
 * Usage figures transcribed from the providers' own documentation, for the cost tests: the text
 * answer, reporting these counts. Each protocol writes them its way: OpenAI's prompt_tokens holds
 * all three prompt parts, with cached_tokens and (as OpenRouter reports them) cache_write_tokens;
 * Anthropic's input_tokens only the uncached part, beside cache_read_input_tokens and
 * cache_creation_input_tokens (it has no separate reasoning count).
 */
export interface DocumentedUsage {
  uncached: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
}

export const DOCUMENTED_USAGE: Record<string, DocumentedUsage> = {
  // OpenAI's prompt caching guide, its usage example: prompt_tokens 2006 with cached_tokens 1920,
  // completion_tokens 300. https://platform.openai.com/docs/guides/prompt-caching
  'openai-cached': { uncached: 86, cacheRead: 1920, cacheWrite: 0, output: 300, reasoning: 0 },
  // OpenAI's reasoning guide, its usage example: input_tokens 75, output_tokens 1186 of which
  // reasoning_tokens 1024. https://platform.openai.com/docs/guides/reasoning
  'openai-reasoning': { uncached: 75, cacheRead: 0, cacheWrite: 0, output: 1186, reasoning: 1024 },
  // Anthropic's prompt caching guide, its large-context example: the first call writes 188,086
  // tokens to the cache, the next reads them; 21 uncached input and 393 output tokens each time.
  // https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
  'anthropic-cache-write': { uncached: 21, cacheRead: 0, cacheWrite: 188086, output: 393, reasoning: 0 },
  'anthropic-cache-read': { uncached: 21, cacheRead: 188086, cacheWrite: 0, output: 393, reasoning: 0 },
};

/** The documented usage a `usage-<name>` model reports, if it is one. */
export function documentedUsage(model: string): DocumentedUsage | undefined {
  const scenario = resolveScenario(model);
  return scenario.kind === 'text' ? scenario.usage : undefined;
}

const USAGE = /^usage-([a-z-]+)$/;
const SLOW = /^slow-(\d{1,7})$/;
const BENCH = /^bench-(\d{1,6})-(\d{1,7})$/;
/** `rate-limited-2`: every request answered 429 with `Retry-After: 2`. */
const RATE_LIMITED = /^rate-limited-(\d{1,5})$/;
const LONG_LINE = /^long-line-(\d{1,10})(-hang)?$/;
const TEXT: Scenario = { kind: 'text' };

/**
 * The scenario named by a model. Anything after an `@` is ignored for the choice but keeps its
 * own counters and stream progress: test files run in parallel against one shared server, so
 * `flaky-500@my-test` cannot be thrown off by another file's `flaky-500` requests. Unknown models
 * get the plain text answer.
 */
export function resolveScenario(model: string): Scenario {
  const at = model.indexOf('@');
  const name = at === -1 ? model : model.slice(0, at);
  const fixed = FIXED[name];
  if (fixed) return fixed;
  const documented = USAGE.exec(name);
  if (documented && DOCUMENTED_USAGE[documented[1]!]) return { kind: 'text', usage: DOCUMENTED_USAGE[documented[1]!] };
  const slow = SLOW.exec(name);
  if (slow) return { kind: 'slow', intervalMs: Number(slow[1]), chunks: 100 };
  const limited = RATE_LIMITED.exec(name);
  if (limited) return { kind: 'rate-limited', retryAfterSeconds: Number(limited[1]) };
  const bench = BENCH.exec(name);
  if (bench) return { kind: 'bench', chunks: Number(bench[1]), intervalMs: Number(bench[2]) };
  const longLine = LONG_LINE.exec(name);
  if (longLine) return { kind: 'long-line', bytes: Number(longLine[1]), hang: longLine[2] !== undefined };
  return TEXT;
}

/** Everything a scenario handler needs about one chat request. */
export interface ChatContext {
  req: IncomingMessage;
  res: ServerResponse;
  body: Record<string, unknown>;
  /** The model exactly as requested (including any `@suffix`). */
  model: string;
  scenario: Scenario;
  stream: boolean;
  progress: StreamProgress;
  /** 1-based number of chat requests for this model since the last reset (for flaky scenarios). */
  attempt: number;
  /** The port in the request's x-redirect-port header, or 9 (discard) when absent or invalid. */
  redirectPort: number;
}

/**
 * A comma list of model ids the model list adds, sent by a provider as a custom header: a page
 * that picks its model from GET /models (the console's playground) can then choose a scenario
 * such as `slow-50@my-test`.
 */
export const EXTRA_MODELS_HEADER = 'x-fake-models';

export function extraModels(req: IncomingMessage): string[] {
  const value = req.headers[EXTRA_MODELS_HEADER];
  return typeof value === 'string' ? value.split(',').map((id) => id.trim()).filter((id) => id !== '') : [];
}

export const HELLO_TEXT = 'Hello from the fake upstream! 👋';
/** How many of HELLO_TEXT's pieces the `length` answer has before max_tokens cuts it. */
export const LENGTH_PIECES = 3;
/** The `split` answer: é (2 bytes) and 🌍 (4 bytes) are each cut across two writes. */
export const SPLIT_TEXT = 'Bonjour from the café 🌍!';
export const SPLIT_CHARACTERS = ['é', '🌍'];

export const TOOL_CALLS = [
  { name: 'get_weather', input: { city: 'Paris' } },
  { name: 'get_time', input: { timezone: 'Europe/Paris' } },
] as const;

/** What the `shell-task` scenario asks a coding agent (Claude Code, Codex) to run. */
export const SHELL_TASK_COMMAND = 'cat note.txt';
/** How its final answer starts; the tool's output follows. */
export const SHELL_TASK_ANSWER_PREFIX = 'The command printed:';

export const HTML_PAGE =
  '<!DOCTYPE html>\n<html>\n<head><title>Service Unavailable</title></head>\n' +
  '<body><h1>Service temporarily unavailable</h1><p>The upstream is under maintenance. Please try again later.</p></body>\n</html>\n';

/**
 * The text of the last user message: a string, or the text parts of a content array (both
 * protocols allow either, and a gateway converting between them may produce the other form).
 */
export function lastUserText(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message: unknown = messages[index];
    if (!isRecord(message) || message.role !== 'user') continue;
    const content = message.content;
    if (typeof content === 'string') return content;
    if (Array.isArray(content)) {
      return content
        .filter((part): part is { type: 'text'; text: string } => isRecord(part) && part.type === 'text' && typeof part.text === 'string')
        .map((part) => part.text)
        .join('');
    }
    return undefined;
  }
  return undefined;
}

/** The default answer, or the user's own message when it starts with `echo:` (to prove what reached the upstream). */
export function answerText(body: Record<string, unknown>): string {
  const text = lastUserText(body.messages);
  return text !== undefined && text.startsWith('echo:') ? text : HELLO_TEXT;
}

/** Token-like pieces ("Hello", " from", " the", ...), the way both providers stream text. */
export function tokenPieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/gu) ?? [];
}

/** How long `late-usage` waits between the answer's end and its usage: time for a client to hang up in between. */
export const LATE_USAGE_PAUSE_MS = 400;

/** The `long-line` piece size: the line goes out in writes of this many bytes, built as they are sent. */
const LONG_LINE_PIECE = 64 * 1024;

/**
 * `bytes` of one SSE line that never ends (no newline), after `head`: what an upstream that
 * streams without bound looks like to a parser. Built piece by piece, so the fake holds none of it.
 */
export function* longLineSteps(head: string, bytes: number): Generator<string> {
  yield head;
  const piece = 'x'.repeat(LONG_LINE_PIECE);
  for (let sent = 0; sent < bytes; sent += LONG_LINE_PIECE) yield bytes - sent >= LONG_LINE_PIECE ? piece : piece.slice(0, bytes - sent);
}

/** The values of the request's x-* headers (custom headers a gateway adds), which `echo-headers` repeats in its error. */
export function echoedHeaderValues(req: IncomingMessage): string {
  return Object.entries(req.headers)
    .filter(([name]) => name.startsWith('x-') && name !== 'x-test-run')
    .map(([name, value]) => `${name}=${Array.isArray(value) ? value.join(',') : value}`)
    .join('; ');
}

/** Fixed-size pieces, for the 2 MiB answer streamed. The big text is ASCII, so no character is cut. */
export function sizedPieces(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces;
}

let bigText: string | undefined;
/** About 2 MiB of text, built once: the `big` answer that a gateway's response-size limit must stop. */
export function bigAnswerText(): string {
  if (bigText === undefined) {
    const sentence = 'The quick brown fox jumps over the lazy dog while the gateway counts every byte. ';
    bigText = sentence.repeat(Math.ceil((2 * 1024 * 1024) / sentence.length));
  }
  return bigText;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62, the alphabet of OpenAI's `chatcmpl-`/`call_` ids and Anthropic's `msg_`/`toolu_` ids. */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += BASE62[byte % 62];
  return id;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An error answer: its status and the protocol's JSON error body. */
export interface ErrorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** One wire protocol as the server routes it: where it lives and how it answers. */
export interface Protocol {
  name: 'openai' | 'anthropic';
  /** Path prefix the provider's base URL ends with, e.g. `/openai/v1`. */
  prefix: string;
  chatPath: string;
  modelsPath: string;
  /** Headers every answer of this protocol carries, besides x-request-id. */
  headers(requestId: string): Record<string, string>;
  authFailure(req: IncomingMessage): ErrorReply | undefined;
  invalidJson(): ErrorReply;
  /** A request body the real API would refuse before generating anything. */
  validate(body: Record<string, unknown>): ErrorReply | undefined;
  notFound(method: string, path: string): ErrorReply;
  /** The model list, with `extra` ids after the usual ones (see EXTRA_MODELS_HEADER). */
  models(extra: readonly string[]): unknown;
  chat(context: ChatContext): void | Promise<void>;
  /** Other POST endpoints under the prefix (OpenAI's /responses, Anthropic's count_tokens), past authentication. */
  extraPosts?: Record<string, (context: ChatContext) => void | Promise<void>>;
}

/** 302 to a loopback port the test chose: a gateway that follows redirects would leak the key there. */
export function sendRedirect(context: ChatContext): void {
  const location = `http://127.0.0.1:${context.redirectPort}/stolen`;
  context.res.writeHead(302, { location, 'content-length': '0' });
  context.res.end();
}

/** A 200 that is not JSON: what a captive portal or a misconfigured proxy answers. */
export function sendHtml(context: ChatContext): void {
  sendBody(context.res, 200, 'text/html; charset=utf-8', HTML_PAGE, context.progress);
}
