import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { anthropicProtocol } from './anthropic-scenarios.ts';
import { openAIProtocol } from './openai-scenarios.ts';
import { recordedRefusal } from './recorded-refusals.ts';
import { extraModels, isRecord, resolveScenario, type ChatContext, type ErrorReply, type Protocol } from './scenarios.ts';
import { sendJson, type StreamProgress } from './sse-writer.ts';

// A fake LLM provider: a real HTTP server on 127.0.0.1 that speaks the OpenAI Chat Completions
// wire format under /openai/v1 and the Anthropic Messages one under /anthropic, with scenarios
// (chosen by the request's `model`) for every way a real upstream misbehaves. The control
// endpoints under /__control let tests that cannot share memory with Node (workerd) inspect it.
//
// Under /hosted/<protocol>/<host><path> it stands in for a real service's base URL with its path
// kept (a provider preset's `https://api.groq.com/openai/v1` becomes
// `/hosted/openai/api.groq.com/openai/v1`): any path ending in the protocol's chat or model-list
// path is answered, and no credential is asked for, so a test can check what was sent (or that
// nothing was, for a server that needs no key) against what the service documents.

export interface FakeUpstreamOptions {
  port?: number;
  /** keep a log of requests (default true; the benchmark turns it off) */
  record?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** The request target as sent, including any query string. */
  path: string;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: string;
}

export interface FakeUpstream {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
}

interface ConnectionStats {
  /** Sockets open now: a live gauge, which a reset leaves alone (it includes the control request's own). */
  open: number;
  total: number;
  /** Sockets that closed while a response on them was unfinished: the client gave up or aborted. */
  closedBeforeEnd: number;
}

const PROTOCOLS: Protocol[] = [openAIProtocol, anthropicProtocol];
const HOSTED = /^\/hosted\/(openai|anthropic)\/[^/]+(\/.*)$/;

/** The protocol a path is served with, the path after its prefix, and whether a key is asked for. */
function routeOf(path: string): { protocol: Protocol; route: string; hosted: boolean } | undefined {
  const hosted = HOSTED.exec(path);
  if (hosted) {
    const protocol = PROTOCOLS.find((candidate) => candidate.name === hosted[1])!;
    const rest = hosted[2]!;
    // The service's own prefix (say /openai/v1) is whatever comes before the protocol's path.
    const route = [protocol.chatPath, protocol.modelsPath].find((known) => rest.endsWith(known)) ?? rest;
    return { protocol, route, hosted: true };
  }
  const protocol = PROTOCOLS.find((candidate) => path === candidate.prefix || path.startsWith(`${candidate.prefix}/`));
  return protocol && { protocol, route: path.slice(protocol.prefix.length), hosted: false };
}
const REDIRECT_PORT = /^\d{1,5}$/;

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const record = options.record ?? true;
  const requests: RecordedRequest[] = [];
  const attempts = new Map<string, number>();
  const progressByModel = new Map<string, StreamProgress>();
  const stats: ConnectionStats = { open: 0, total: 0, closedBeforeEnd: 0 };
  /** The response currently being written on each socket (keep-alive sockets serve one at a time). */
  const unfinished = new Map<Socket, ServerResponse>();
  /** Requests for a `held` model, waiting for POST /__control/held (a test decides when they answer). */
  const held = new Map<string, Array<() => void>>();

  // Real-looking request ids without a random draw per request: a random prefix per server and a counter.
  const idPrefix = randomBytes(12).toString('hex');
  let requestCounter = 0;

  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A client that leaves while sending its body is ordinary (abort tests do it); nothing to say.
      if (req.destroyed && res.destroyed) return;
      // Anything else is a bug here: it must show in the test output, not as a hung request.
      console.error('fake upstream: handler failed', error);
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'fake upstream failure', type: 'server_error' } });
      else res.destroy();
    });
  });

  server.on('connection', (socket: Socket) => {
    stats.open++;
    stats.total++;
    socket.once('close', () => {
      stats.open--;
      if (unfinished.delete(socket)) stats.closedBeforeEnd++;
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const socket = req.socket;
    unfinished.set(socket, res);
    res.once('finish', () => {
      if (unfinished.get(socket) === res) unfinished.delete(socket);
    });

    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt === -1 ? target : target.slice(0, queryAt);
    const method = req.method ?? 'GET';
    const body = await readBody(req);

    if (path.startsWith('/__control/')) return control(method, path, target, res);
    if (record) requests.push({ method, path: target, headers: flattenHeaders(req), body });

    const requestId = `req_${idPrefix}${(++requestCounter).toString(16).padStart(8, '0')}`;
    res.setHeader('x-request-id', requestId);

    const routed = routeOf(path);
    if (!routed) return sendJson(res, 404, { error: { message: `No route for ${method} ${path}`, type: 'not_found' } });
    const { protocol, route } = routed;
    for (const [name, value] of Object.entries(protocol.headers(requestId))) res.setHeader(name, value);

    const extra = method === 'POST' ? protocol.extraPosts?.[route] : undefined;
    const isChat = (method === 'POST' && route === protocol.chatPath) || extra !== undefined;
    const isModels = method === 'GET' && route === protocol.modelsPath;
    if (!isChat && !isModels) return sendError(res, protocol.notFound(method, route));

    // Like the real APIs, authentication comes before anything else about the request.
    const refusal = routed.hosted ? undefined : protocol.authFailure(req);
    if (refusal) return sendError(res, refusal);
    if (isModels) return sendJson(res, 200, protocol.models(extraModels(req)));

    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return sendError(res, protocol.invalidJson());
    }
    if (!isRecord(parsed)) return sendError(res, protocol.invalidJson());
    const invalid = extra ? undefined : protocol.validate(parsed);
    if (invalid) return sendError(res, invalid);

    const model = parsed.model as string;
    // A service's recorded error answer (recorded-refusals.ts), whichever protocol asked.
    const recorded = recordedRefusal(model);
    if (recorded) return sendJson(res, recorded.status, recorded.body);
    if (model === 'held' || model.startsWith('held@')) {
      await new Promise<void>((release) => held.set(model, [...(held.get(model) ?? []), release]));
    }
    const attempt = (attempts.get(model) ?? 0) + 1;
    attempts.set(model, attempt);
    const progress: StreamProgress = { chunksWritten: 0, finished: false, aborted: false };
    progressByModel.set(model, progress);
    res.once('finish', () => {
      progress.finished = true;
    });
    res.once('close', () => {
      if (!progress.finished) progress.aborted = true;
    });

    const redirectHeader = req.headers['x-redirect-port'];
    const redirectPort = typeof redirectHeader === 'string' && REDIRECT_PORT.test(redirectHeader) && Number(redirectHeader) <= 65535 ? Number(redirectHeader) : 9;
    const context: ChatContext = {
      req,
      res,
      body: parsed,
      model,
      scenario: resolveScenario(model),
      stream: parsed.stream === true,
      progress,
      attempt,
      redirectPort,
    };
    await (extra ?? protocol.chat)(context);
  }

  function control(method: string, path: string, target: string, res: ServerResponse): void {
    if (method === 'GET' && path === '/__control/requests') return sendJson(res, 200, requests);
    if (method === 'POST' && path === '/__control/reset') {
      requests.length = 0;
      attempts.clear();
      progressByModel.clear();
      stats.total = 0;
      stats.closedBeforeEnd = 0;
      return sendJson(res, 200, { reset: true });
    }
    if (method === 'GET' && path === '/__control/connections') return sendJson(res, 200, stats);
    if (path === '/__control/held') {
      const model = new URL(target, 'http://127.0.0.1').searchParams.get('model') ?? '';
      const waiting = held.get(model) ?? [];
      if (method === 'GET') return sendJson(res, 200, { waiting: waiting.length });
      if (method === 'POST') {
        held.delete(model);
        for (const release of waiting) release();
        return sendJson(res, 200, { released: waiting.length });
      }
    }
    if (method === 'GET' && path === '/__control/stream-progress') {
      const model = new URL(target, 'http://127.0.0.1').searchParams.get('model') ?? '';
      // Nothing seen yet reads as nothing written, so a test can poll before its request lands.
      return sendJson(res, 200, progressByModel.get(model) ?? { chunksWritten: 0, finished: false, aborted: false });
    }
    return sendJson(res, 404, { error: `no control endpoint ${method} ${path}` });
  }

  // A backlog well above the benchmark's 1,000 simultaneous connections, so none is refused.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1', backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging scenarios never end on their own: cut every connection so close() returns.
        server.closeAllConnections();
      }),
  };
}

function sendError(res: ServerResponse, reply: ErrorReply): void {
  sendJson(res, reply.status, reply.body, undefined, reply.headers);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? '' : chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
