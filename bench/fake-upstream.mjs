// A fast fake LLM upstream for the benchmark: plain node:http, bodies precomputed per model, no
// validation beyond what routing needs. It speaks both wire formats the gateway calls:
//
//   POST /openai/v1/chat/completions   OpenAI Chat Completions (JSON, or SSE `data:` chunks + [DONE])
//   POST /anthropic/v1/messages        Anthropic Messages (JSON, or named SSE events)
//   GET  /openai/v1/models, /anthropic/v1/models
//   GET  /__control/connections        {open, total, requests, closedBeforeEnd, streamsOpen, slowSocketsOpen}:
//        open/total sockets, chat requests, streams cut before their end, streams in progress,
//        open sockets that carried a slow-* stream
//
// The model chooses the answer:
//   bench-C-S   C content chunks, S ms apart (S = 0: all written back to back, one write each).
//               Each chunk's content is its send time, String(performance.timeOrigin + performance.now()),
//               so a client can measure each chunk's delay. Non-streamed: a ~600-byte answer.
//   slow-N      a stream of 100 chunks, N ms apart (slow-1000: one a second), for holding streams open.
//   anything else: like bench-20-0.
//
// Run: node bench/fake-upstream.mjs [--port N] [--host 127.0.0.1]; prints {"port":N} on stdout
// once listening. Also importable: startFakeUpstream({port}) → {url, port, close}.

import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const now = () => String(performance.timeOrigin + performance.now());
const ANSWER_TEXT =
  'This is the benchmark answer from the fake upstream. It is long enough to make the whole JSON body about six hundred bytes, ' +
  'which is what a short real chat completion weighs once ids, usage and the other fields are counted. Nothing in it matters.';

const cache = new Map();

function parseModel(model) {
  const bench = /^bench-(\d{1,6})-(\d{1,7})$/.exec(model);
  if (bench) return { chunks: Number(bench[1]), intervalMs: Number(bench[2]), slow: false };
  const slow = /^slow-(\d{1,7})$/.exec(model);
  if (slow) return { chunks: 100, intervalMs: Number(slow[1]), slow: true };
  return { chunks: 20, intervalMs: 0, slow: false };
}

/** Everything about one model that does not change between requests, built once. */
function modelInfo(model) {
  let info = cache.get(model);
  if (info) return info;
  const safeModel = typeof model === 'string' && model.length < 200 ? model : 'bench-20-0';
  const created = Math.floor(Date.now() / 1000);
  const m = JSON.stringify(safeModel);
  const openaiId = 'chatcmpl-BenchFakeUpstream0000000000001';
  const anthropicId = 'msg_01BenchFakeUpstream000000001';
  const scenario = parseModel(safeModel);

  const openaiJson = Buffer.from(
    JSON.stringify({
      id: openaiId,
      object: 'chat.completion',
      created,
      model: safeModel,
      choices: [{ index: 0, message: { role: 'assistant', content: ANSWER_TEXT, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 19, completion_tokens: 60, total_tokens: 79 },
      service_tier: 'default',
      system_fingerprint: 'fp_bench00001',
    }),
  );
  const anthropicJson = Buffer.from(
    JSON.stringify({
      id: anthropicId,
      type: 'message',
      role: 'assistant',
      model: safeModel,
      content: [{ type: 'text', text: ANSWER_TEXT }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 19, output_tokens: 60, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    }),
  );

  const chunkHead = `data: {"id":"${openaiId}","object":"chat.completion.chunk","created":${created},"model":${m},"system_fingerprint":"fp_bench00001","choices":[{"index":0,"delta":`;
  const openaiStream = {
    head: (usage) => `${chunkHead}{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]${usage ? ',"usage":null' : ''}}\n\n`,
    chunk: (text, usage) => `${chunkHead}{"content":"${text}"},"logprobs":null,"finish_reason":null}]${usage ? ',"usage":null' : ''}}\n\n`,
    tail: (usage, count) =>
      `${chunkHead}{},"logprobs":null,"finish_reason":"stop"}]${usage ? ',"usage":null' : ''}}\n\n` +
      (usage
        ? `data: {"id":"${openaiId}","object":"chat.completion.chunk","created":${created},"model":${m},"system_fingerprint":"fp_bench00001","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":${count},"total_tokens":${19 + count}}}\n\n`
        : '') +
      'data: [DONE]\n\n',
  };
  const anthropicStream = {
    head:
      `event: message_start\ndata: {"type":"message_start","message":{"id":"${anthropicId}","type":"message","role":"assistant","model":${m},"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":19,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}\n\n` +
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
      'event: ping\ndata: {"type": "ping"}\n\n',
    chunk: (text) => `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${text}"}}\n\n`,
    tail: (count) =>
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
      `event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":${count}}}\n\n` +
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
  };
  info = { scenario, openaiJson, anthropicJson, openaiStream, anthropicStream };
  if (cache.size < 1000) cache.set(model, info);
  return info;
}

const modelsBody = {
  openai: Buffer.from(JSON.stringify({ object: 'list', data: [{ id: 'bench-20-0', object: 'model', created: 1700000000, owned_by: 'bench' }] })),
  anthropic: Buffer.from(
    JSON.stringify({ data: [{ type: 'model', id: 'bench-20-0', display_name: 'Bench', created_at: '2025-01-01T00:00:00Z' }], has_more: false, first_id: 'bench-20-0', last_id: 'bench-20-0' }),
  ),
};

export function startFakeUpstream(options = {}) {
  const sockets = new Set();
  const stats = { total: 0, requests: 0, closedBeforeEnd: 0, streamsOpen: 0 };

  const sendJson = (res, body) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  };

  const stream = (req, res, protocol, info, includeUsage) => {
    const { chunks, intervalMs, slow } = info.scenario;
    if (slow) req.socket.carriedSlow = true;
    stats.streamsOpen++;
    let finished = false;
    let timer;
    const done = () => {
      if (finished) return;
      finished = true;
      stats.streamsOpen--;
      if (timer) clearTimeout(timer);
    };
    res.on('close', () => {
      if (!res.writableFinished) stats.closedBeforeEnd++;
      done();
    });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    const s = protocol === 'openai' ? info.openaiStream : info.anthropicStream;
    res.write(protocol === 'openai' ? s.head(includeUsage) : s.head);
    const chunk = protocol === 'openai' ? () => s.chunk(now(), includeUsage) : () => s.chunk(now());
    const end = () => {
      if (finished) return;
      res.end(protocol === 'openai' ? s.tail(includeUsage, chunks) : s.tail(chunks));
      done();
    };
    if (intervalMs === 0) {
      for (let i = 0; i < chunks; i++) res.write(chunk());
      end();
      return;
    }
    // First content chunk at once, then one every intervalMs.
    let sent = 0;
    const next = () => {
      timer = undefined;
      if (finished || res.destroyed) return;
      res.write(chunk());
      sent++;
      if (sent >= chunks) end();
      else timer = setTimeout(next, intervalMs);
    };
    if (chunks === 0) end();
    else next();
  };

  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000, requestTimeout: 0 }, (req, res) => {
    const url = req.url ?? '/';
    if (req.method === 'GET') {
      if (url === '/__control/connections') {
        let slowSocketsOpen = 0;
        for (const socket of sockets) if (socket.carriedSlow) slowSocketsOpen++;
        return sendJson(res, Buffer.from(JSON.stringify({ open: sockets.size, total: stats.total, requests: stats.requests, closedBeforeEnd: stats.closedBeforeEnd, streamsOpen: stats.streamsOpen, slowSocketsOpen })));
      }
      if (url.startsWith('/openai/v1/models')) return sendJson(res, modelsBody.openai);
      if (url.startsWith('/anthropic/v1/models')) return sendJson(res, modelsBody.anthropic);
    }
    let protocol;
    if (req.method === 'POST' && url === '/openai/v1/chat/completions') protocol = 'openai';
    else if (req.method === 'POST' && url === '/anthropic/v1/messages') protocol = 'anthropic';
    else {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
    }
    stats.requests++;
    const parts = [];
    req.on('data', (part) => parts.push(part));
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(parts.length === 1 ? parts[0] : Buffer.concat(parts));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end('{"error":{"message":"invalid JSON","type":"invalid_request_error"}}');
      }
      const info = modelInfo(body.model);
      if (body.stream === true) return stream(req, res, protocol, info, body.stream_options?.include_usage === true);
      sendJson(res, protocol === 'openai' ? info.openaiJson : info.anthropicJson);
    });
  });
  server.on('connection', (socket) => {
    stats.total++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        stats: () => ({ open: sockets.size, ...stats }),
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, fallback) => {
    const index = process.argv.indexOf(`--${name}`);
    return index === -1 ? fallback : process.argv[index + 1];
  };
  const upstream = await startFakeUpstream({ port: Number(arg('port', '0')), host: arg('host', '127.0.0.1') });
  process.stdout.write(`${JSON.stringify({ port: upstream.port })}\n`);
  const stop = () => upstream.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
