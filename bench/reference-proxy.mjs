// The calibration row: the smallest useful Hono proxy on Node — @hono/node-server, one POST route,
// the body read as text and parsed, undici's request() on a keep-alive Agent, the answer read as
// text, checked as JSON and handed on (a streamed answer: its bytes piped through unparsed). No
// middleware, no key decryption, no validation. What the gateway costs above this is what its own
// code adds; what this costs shows how fast the machine is today (absolute µs vary between
// machines of the same kind by 2× or more).
//
//   node bench/reference-proxy.mjs <upstream port> <listen port>
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { Agent, request } from 'undici';

const [upstreamPort, port] = process.argv.slice(2).map(Number);
const agent = new Agent({ keepAliveTimeout: 30_000 });
const upstream = `http://127.0.0.1:${upstreamPort}/openai/v1/chat/completions`;

const app = new Hono();
app.post('/api/v1/chat/completions', async (c) => {
  const body = JSON.parse(await c.req.text());
  const slash = body.model.indexOf('/');
  const response = await request(upstream, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench-openai-0123456789abcdef' },
    body: JSON.stringify({ ...body, model: body.model.slice(slash + 1) }),
    dispatcher: agent,
  });
  if (body.stream === true) {
    // Streamed: the upstream's bytes handed on as they arrive, nothing parsed.
    c.header('content-type', 'text/event-stream');
    return stream(c, async (out) => {
      for await (const chunk of response.body) await out.write(chunk);
    });
  }
  const text = await response.body.text();
  JSON.parse(text);
  return c.body(text, response.statusCode, { 'content-type': 'application/json' });
});
app.get('/api/v1/health', (c) => c.json({ status: 'ok' }));

serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
process.on('SIGTERM', () => process.exit(0));
