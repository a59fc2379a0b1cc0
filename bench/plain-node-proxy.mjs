// The plain-Node row: what a proxy costs on Node's own objects alone. A node:http server, the body
// collected and parsed with JSON.parse, the model rewritten and the body re-serialised, then
// http.request() on a keep-alive Agent; a JSON answer collected and handed on, a streamed one
// (SSE) piped through unparsed. No framework, no Web Request/Response, no middleware, no crypto,
// no validation. The gateway's target is a multiple of this row's CPU per request.
//
//   node bench/plain-node-proxy.mjs <upstream port> <listen port>
import { Agent, createServer, request } from 'node:http';

const [upstreamPort, port] = process.argv.slice(2).map(Number);
const agent = new Agent({ keepAlive: true, keepAliveMsecs: 30_000 });
const upstreamPath = '/openai/v1/chat/completions';
const authorization = 'Bearer sk-bench-openai-0123456789abcdef';

const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/api/v1/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end('{"status":"ok"}');
  }
  if (req.method !== 'POST' || req.url !== '/api/v1/chat/completions') {
    res.writeHead(404, { 'content-type': 'application/json' });
    return res.end('{"error":{"code":"NOT_FOUND","message":"not found"}}');
  }
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(parts.length === 1 ? parts[0] : Buffer.concat(parts));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end('{"error":{"code":"VALIDATION_ERROR","message":"Malformed JSON"}}');
    }
    const slash = body.model.indexOf('/');
    const payload = JSON.stringify({ ...body, model: body.model.slice(slash + 1) });
    const upstream = request(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        path: upstreamPath,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization },
      },
      (answer) => {
        if (body.stream === true) {
          // Streamed: the upstream's bytes handed on as they arrive, nothing parsed.
          res.writeHead(answer.statusCode, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          answer.pipe(res);
          return;
        }
        const chunks = [];
        answer.on('data', (chunk) => chunks.push(chunk));
        answer.on('end', () => {
          const text = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
          res.writeHead(answer.statusCode, { 'content-type': 'application/json', 'content-length': text.length });
          res.end(text);
        });
      },
    );
    // A client that leaves takes its upstream request with it.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"PROVIDER_ERROR","message":"upstream failed"}}');
    });
    upstream.end(payload);
  });
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
