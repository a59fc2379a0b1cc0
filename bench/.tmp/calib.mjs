import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Agent, request } from 'undici';
const upstream = Number(process.argv[2]);
const variant = process.argv[3] ?? 'plain';
const agent = new Agent({ keepAliveTimeout: 30_000 });
const app = new Hono();
app.post('/api/v1/chat/completions', async (c) => {
  const body = JSON.parse(await c.req.text());
  const signal = variant === 'signal' ? c.req.raw.signal : undefined;
  const res = await request(`http://127.0.0.1:${upstream}/openai/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: JSON.stringify({ ...body, model: 'bench-20-0' }), dispatcher: agent, signal });
  const text = await res.body.text();
  JSON.parse(text);
  return c.body(text, 200, { 'content-type': 'application/json' });
});
serve({ fetch: app.fetch, port: 18610, hostname: '127.0.0.1' });
