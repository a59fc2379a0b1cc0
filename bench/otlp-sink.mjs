// An OTLP/HTTP collector that takes everything and keeps nothing, for `npm run bench -- --otel=receiver`:
// POST /v1/traces (protobuf or JSON) answered 200 once the body is read; GET /health 200.
// Usage: node bench/otlp-sink.mjs <port> (listens on 127.0.0.1).
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    if (request.method === 'GET' && request.url === '/health') return response.writeHead(200).end('ok');
    if (request.method !== 'POST' || request.url !== '/v1/traces') return response.writeHead(404).end();
    const json = !String(request.headers['content-type']).startsWith('application/x-protobuf');
    response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
  });
}).listen(port, '127.0.0.1');
