import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.ts';
import { CANARY_KEY } from '../support/providers.ts';
import { spawnNodeServer, type SpawnedServer } from '../support/spawn-node-server.ts';
import { readSseData } from '../support/sse.ts';
import { ADMIN_TOKEN, CLIENT_TOKEN, ENCRYPTION_KEY } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';

// OpenTelemetry traces on Node (contract v1.2, "Traces and the request log"), end to end: the real
// server (dist/server.js, as `npm start` runs it) configured only by OTEL_* variables, exporting
// to a real OTLP/HTTP receiver on loopback in each protocol, chats through the fake upstream.
// Needs `npm run build` first (`npm test` does it).

const SERVER = fileURLToPath(new URL('../../dist/server.js', import.meta.url));
const HOOK = fileURLToPath(new URL('../support/record-loaded-modules.mjs', import.meta.url));
const PROMPT = 'echo: a prompt no trace may hold 7d1e';
const HEADER_SECRET = 'custom-header-secret-5b9c2e';
const SERVER_KIND = 2;
const CLIENT_KIND = 3;
const ERROR_STATUS = 2;

beforeAll(() => {
  if (!existsSync(SERVER)) throw new Error('dist/server.js is missing: run `npm run build` first (npm test does)');
});

async function waitFor<T>(read: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Gateway {
  server: SpawnedServer;
  folder: string;
  api(path: string, init?: RequestInit): Promise<Response>;
  provider: { id: string; name: string; run: string };
  close(): Promise<void>;
}

async function startGateway(environment: Record<string, string>, nodeArguments: string[] = []): Promise<Gateway> {
  const folder = await mkdtemp(join(tmpdir(), 'gateway-otel-'));
  const server = await spawnNodeServer(SERVER, folder, { environment, nodeArguments });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.apiBase}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  const run = crypto.randomUUID();
  const created = await api('/providers', {
    method: 'POST',
    body: JSON.stringify({ name: `otel-${run.slice(0, 8)}`, baseUrl: `${inject('upstreamUrl')}/openai/v1`, apiKey: CANARY_KEY, routingMethod: 'openai', customHeaders: { 'x-test-run': run, 'x-secret-header': HEADER_SECRET } }),
  });
  expect(created.status).toBe(201);
  const provider = { ...((await created.json()) as { id: string; name: string }), run };
  return {
    server,
    folder,
    api,
    provider,
    async close() {
      server.child.kill('SIGTERM');
      await server.exited;
      await rm(folder, { recursive: true, force: true });
    },
  };
}

function chat(gateway: Gateway, model: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return gateway.api('/chat/completions', { method: 'POST', headers, body: JSON.stringify({ model: `${gateway.provider.name}/${model}`, messages: [{ role: 'user', content: PROMPT }], ...extra }) });
}

const newTraceparent = () => {
  const hex = (bytes: number) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  const traceId = hex(16);
  const parentId = hex(8);
  return { traceId, parentId, header: `00-${traceId}-${parentId}-01` };
};

describe.each(['http/json', 'http/protobuf'])('traces over OTLP/HTTP, %s', (protocol) => {
  let receiver: OtlpReceiver;
  let gateway: Gateway;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    gateway = await startGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_BSP_SCHEDULE_DELAY: '50' });
  });
  afterAll(async () => {
    await gateway?.close();
    await receiver?.close();
  });

  const spansOf = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);
  async function traceOf(traceId: string, clientSpans: number): Promise<{ server: ReceivedSpan; clients: ReceivedSpan[] }> {
    return waitFor(() => {
      const spans = spansOf(traceId);
      const server = spans.find((span) => span.kind === SERVER_KIND);
      const clients = spans.filter((span) => span.kind === CLIENT_KIND).sort((a, b) => (a.startNanos < b.startNanos ? -1 : 1));
      return server && clients.length === clientSpans ? { server, clients } : undefined;
    }, `a server span and ${clientSpans} client spans of trace ${traceId}`);
  }
  async function upstreamSaw(marker: string) {
    return (await upstreamControl(inject('upstreamUrl')).requests()).filter((request) => request.headers['x-test-run'] === gateway.provider.run && request.body.includes(marker));
  }

  it('continues the client\'s trace: a server span, and a client span with the GenAI attributes and the upstream\'s token counts', async () => {
    const client = newTraceparent();
    const marker = `gpt-test@plain-${crypto.randomUUID().slice(0, 8)}`;
    const response = await chat(gateway, marker, {}, { traceparent: client.header });
    expect(response.status).toBe(200);
    const completion = await response.json();
    const { server, clients } = await traceOf(client.traceId, 1);
    const [attempt] = clients;

    expect(server).toMatchObject({ name: 'POST /api/v1/chat/completions', parentSpanId: client.parentId, statusCode: 0 });
    expect(server.attributes).toEqual({
      'http.request.method': 'POST',
      'url.path': '/api/v1/chat/completions',
      'url.scheme': 'http',
      'http.route': '/api/v1/chat/completions',
      'http.response.status_code': 200,
      'llm_gateway.request_id': response.headers.get('x-request-id'),
      'llm_gateway.route': 'chat',
    });
    expect(server.resource['service.name']).toBe('llm-gateway');
    expect(attempt).toMatchObject({ name: `chat ${marker}`, parentSpanId: server.spanId, statusCode: 0 });
    const upstream = new URL(inject('upstreamUrl'));
    expect(attempt!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': marker,
      'gen_ai.response.model': completion.model,
      'gen_ai.usage.input_tokens': completion.usage.prompt_tokens,
      'gen_ai.usage.output_tokens': completion.usage.completion_tokens,
      'gen_ai.response.finish_reasons': ['stop'],
      'server.address': upstream.hostname,
      'server.port': Number(upstream.port),
      'http.response.status_code': 200,
      'llm_gateway.provider': gateway.provider.name,
      'llm_gateway.route': 'chat',
    });
    expect(completion.usage.prompt_tokens).toBeGreaterThan(0);
    // The upstream call carries the client span's context.
    expect((await upstreamSaw(marker)).map((request) => request.headers.traceparent)).toEqual([`00-${client.traceId}-${attempt!.spanId}-01`]);
  });

  it('ends a streamed chat\'s spans with the tokens of its usage chunk, and starts a trace of its own without a traceparent', async () => {
    const marker = `gpt-test@stream-${crypto.randomUUID().slice(0, 8)}`;
    const response = await chat(gateway, marker, { stream: true, stream_options: { include_usage: true } }, { 'x-gateway-cache-ttl': '60' });
    const events = await readSseData(response);
    const usage = JSON.parse(events.at(-2)!).usage;
    const [sent] = await upstreamSaw(marker);
    const traceId = sent!.headers.traceparent!.split('-')[1]!;
    const { server, clients } = await traceOf(traceId, 1);
    expect(server.parentSpanId).toBe('');
    expect(server.attributes['llm_gateway.cache_status']).toBe('MISS');
    expect(clients[0]!.attributes).toMatchObject({
      'gen_ai.request.model': marker,
      'gen_ai.usage.input_tokens': usage.prompt_tokens,
      'gen_ai.usage.output_tokens': usage.completion_tokens,
      'gen_ai.response.finish_reasons': ['stop'],
      'llm_gateway.cache_status': 'MISS',
    });
    expect(sent!.headers.traceparent).toBe(`00-${traceId}-${clients[0]!.spanId}-01`);
  });

  it('gives every upstream attempt a client span: retries and fallbacks, each failure with its error type', async () => {
    const client = newTraceparent();
    const marker = `fb-${crypto.randomUUID().slice(0, 8)}`;
    const response = await chat(gateway, `always-500@${marker}`, { models: [`${gateway.provider.name}/gpt-test@${marker}`] }, { traceparent: client.header });
    expect(response.status).toBe(200);
    await response.text();
    // The failing model is tried three times (two retries), then its fallback answers.
    const { server, clients } = await traceOf(client.traceId, 4);
    expect(clients.map((span) => [span.name, span.parentSpanId, span.attributes['error.type'], span.attributes['http.response.status_code'], span.statusCode])).toEqual([
      [`chat always-500@${marker}`, server.spanId, 'PROVIDER_ERROR', 500, ERROR_STATUS],
      [`chat always-500@${marker}`, server.spanId, 'PROVIDER_ERROR', 500, ERROR_STATUS],
      [`chat always-500@${marker}`, server.spanId, 'PROVIDER_ERROR', 500, ERROR_STATUS],
      [`chat gpt-test@${marker}`, server.spanId, undefined, 200, 0],
    ]);
    const sent = await upstreamSaw(marker);
    expect(sent.map((request) => request.headers.traceparent)).toEqual(clients.map((span) => `00-${client.traceId}-${span.spanId}-01`));
  });

  it('marks a failed request: the error type on its last attempt, 5xx on its server span', async () => {
    const client = newTraceparent();
    const response = await chat(gateway, `always-500@failed-${crypto.randomUUID().slice(0, 8)}`, {}, { traceparent: client.header });
    expect(response.status).toBe(502);
    await response.text();
    const { server, clients } = await traceOf(client.traceId, 3);
    expect(server.attributes).toMatchObject({ 'http.response.status_code': 502, 'error.type': '502' });
    expect(server.statusCode).toBe(ERROR_STATUS);
    expect(clients.at(-1)!.attributes['error.type']).toBe('PROVIDER_ERROR');
  });

  it('traces messages, native and translated, and embeddings with their own answers\' attributes', async () => {
    const run = crypto.randomUUID();
    const created = await gateway.api('/providers', {
      method: 'POST',
      body: JSON.stringify({ name: `otel-anthropic-${run.slice(0, 8)}`, baseUrl: `${inject('upstreamUrl')}/anthropic`, apiKey: CANARY_KEY, routingMethod: 'anthropic', customHeaders: { 'x-test-run': run } }),
    });
    const anthropic = (await created.json()) as { name: string };
    const cases = [
      { path: '/messages', body: { model: `${anthropic.name}/claude-test`, max_tokens: 50, stream: true, messages: [{ role: 'user', content: PROMPT }] }, name: 'chat claude-test', route: 'messages', finish: ['end_turn'] },
      { path: '/messages', body: { model: `${gateway.provider.name}/gpt-test`, max_tokens: 50, messages: [{ role: 'user', content: PROMPT }] }, name: 'chat gpt-test', route: 'messages', finish: ['stop'] },
      { path: '/embeddings', body: { model: `${gateway.provider.name}/text-embedding-test`, input: PROMPT }, name: 'embeddings text-embedding-test', route: 'embeddings', finish: undefined },
    ];
    for (const { path, body, name, route, finish } of cases) {
      const client = newTraceparent();
      const response = await gateway.api(path, { method: 'POST', headers: { traceparent: client.header }, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
      const text = await response.text();
      const { server, clients } = await traceOf(client.traceId, 1);
      expect(server.attributes['llm_gateway.route']).toBe(route);
      expect(clients[0]!.name).toBe(name);
      expect(clients[0]!.attributes['llm_gateway.route']).toBe(route);
      expect(clients[0]!.attributes['gen_ai.operation.name']).toBe(name.split(' ')[0]);
      expect(clients[0]!.attributes['gen_ai.response.finish_reasons']).toEqual(finish);
      // The input tokens the upstream reported, cache reads and writes included (as the ledger counts them).
      const usage = route === 'embeddings' ? { input_tokens: JSON.parse(text).usage.prompt_tokens } : JSON.parse(/"usage":(\{[^{}]*\})/.exec(text)![1]!);
      expect(clients[0]!.attributes['gen_ai.usage.input_tokens']).toBe(usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0));
      expect(usage.input_tokens).toBeGreaterThan(0);
    }
  });

  it('exports no secret and no prompt or answer text, in any byte', async () => {
    await waitFor(() => (receiver.exports.length > 0 ? true : undefined), 'an export');
    for (const { contentType, body } of receiver.exports) {
      expect(contentType).toBe(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
      for (const secret of [CANARY_KEY, HEADER_SECRET, ADMIN_TOKEN, CLIENT_TOKEN, ENCRYPTION_KEY, 'a prompt no trace may hold', 'x-secret-header']) {
        expect(body.includes(Buffer.from(secret)), secret).toBe(false);
      }
    }
  });
});

describe('with the collector down', () => {
  it('answers every chat, and logs one warning', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const gateway = await startGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closedPort}`, OTEL_BSP_SCHEDULE_DELAY: '20', OTEL_EXPORTER_OTLP_TIMEOUT: '500' });
    try {
      const warnings = () => gateway.server.output().split('\n').filter((line) => line.includes('"level":"warn"'));
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => chat(gateway, 'gpt-test', index % 2 === 0 ? { stream: true } : {})));
        for (const answer of answers) {
          expect(answer.status).toBe(200);
          await answer.text();
        }
        await waitFor(() => (warnings().length > 0 ? true : undefined), 'the warning');
      }
      // Long enough for several more failed exports.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(warnings().map((line) => JSON.parse(line).message)).toEqual(['traces: the OpenTelemetry collector cannot be reached; spans are dropped until it answers']);
      expect(JSON.parse(warnings()[0]!).collector).toBe(`http://127.0.0.1:${closedPort}`);
    } finally {
      await gateway.close();
    }
  });
});

describe('without an OTLP endpoint', () => {
  async function loadedPackages(environment: Record<string, string>): Promise<string[]> {
    const list = join(tmpdir(), `loaded-${crypto.randomUUID()}.txt`);
    const gateway = await startGateway({ ...environment, LOADED_MODULES_FILE: list }, ['--import', HOOK]);
    try {
      const response = await chat(gateway, 'gpt-test', { stream: true });
      expect((await readSseData(response)).at(-1)).toBe('[DONE]');
      const urls = (await readFile(list, 'utf8')).split('\n');
      return [...new Set(urls.flatMap((url) => /\/node_modules\/@opentelemetry\/([^/]+)\//.exec(url)?.[1] ?? []))].sort();
    } finally {
      await gateway.close();
      await rm(list, { force: true });
    }
  }

  it('loads no OpenTelemetry SDK or exporter module (only the API package prom-client itself requires)', async () => {
    expect(await loadedPackages({})).toEqual(['api']);
    // The same check sees them when tracing is on.
    const receiver = await startOtlpReceiver();
    try {
      expect(await loadedPackages({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url })).toEqual(expect.arrayContaining(['api', 'core', 'exporter-trace-otlp-proto', 'otlp-transformer', 'resources', 'sdk-trace']));
    } finally {
      await receiver.close();
    }
  });
});
