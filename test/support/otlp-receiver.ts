import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

// A real OTLP/HTTP trace receiver on loopback (what a collector's otlphttp receiver does): POST
// /v1/traces in the JSON protocol or the protobuf one, decoded with the official definitions
// (opentelemetry-proto as compiled by protobufjs in @opentelemetry/otlp-transformer 0.216,
// installed as the devDependency `otlp-transformer-protobuf`). Keeps every request's raw bytes,
// for tests that search them for what must never be exported.

const require = createRequire(import.meta.url);
const protos = require('otlp-transformer-protobuf/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: { decode(bytes: Uint8Array): unknown; toObject(message: unknown, options: object): unknown } } } } } };
};
const ExportTraceServiceRequest = protos.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

export type AttributeValue = string | number | boolean | AttributeValue[];

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  /** 2 server, 3 client (opentelemetry.proto.trace.v1.Span.SpanKind). */
  kind: number;
  startNanos: bigint;
  attributes: Record<string, AttributeValue>;
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
  resource: Record<string, AttributeValue>;
}

export interface OtlpReceiver {
  url: string;
  port: number;
  /** Every span received so far, in arrival order. */
  spans: ReceivedSpan[];
  /** The raw bodies of every export, and their content types. */
  exports: Array<{ contentType: string; body: Buffer }>;
  close(): Promise<void>;
}

interface WireKeyValue {
  key: string;
  value: WireAnyValue;
}
interface WireAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: WireAnyValue[] };
}
interface WireSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number | string;
  startTimeUnixNano: string | number;
  attributes?: WireKeyValue[];
  status?: { code?: number | string };
}
interface WireRequest {
  resourceSpans?: Array<{ resource?: { attributes?: WireKeyValue[] }; scopeSpans?: Array<{ spans?: WireSpan[] }> }>;
}

function valueOf(value: WireAnyValue): AttributeValue {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(valueOf);
  throw new Error(`unexpected attribute value ${JSON.stringify(value)}`);
}

function attributesOf(list: WireKeyValue[] | undefined): Record<string, AttributeValue> {
  return Object.fromEntries((list ?? []).map((entry) => [entry.key, valueOf(entry.value)]));
}

const SPAN_KINDS: Record<string, number> = { SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2, SPAN_KIND_CLIENT: 3 };
const STATUS_CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

function spansOf(request: WireRequest): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) =>
    (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: typeof span.kind === 'string' ? SPAN_KINDS[span.kind]! : span.kind,
        startNanos: BigInt(span.startTimeUnixNano),
        attributes: attributesOf(span.attributes),
        statusCode: typeof span.status?.code === 'string' ? STATUS_CODES[span.status.code]! : (span.status?.code ?? 0),
        resource: attributesOf(resourceSpans.resource?.attributes),
      })),
    ),
  );
}

/** The protobuf message as the JSON protocol writes it: ids in hex, 64-bit numbers as strings. */
function decodeProtobuf(body: Buffer): WireRequest {
  const message = ExportTraceServiceRequest.decode(body);
  const hex = (bytes: unknown) => Buffer.from(bytes as Uint8Array).toString('hex');
  const plain = ExportTraceServiceRequest.toObject(message, { longs: String, enums: Number, bytes: Array, defaults: false, arrays: true }) as WireRequest;
  for (const resourceSpans of plain.resourceSpans ?? []) {
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        span.traceId = hex(span.traceId);
        span.spanId = hex(span.spanId);
        span.parentSpanId = span.parentSpanId === undefined ? '' : hex(span.parentSpanId);
      }
    }
  }
  return plain;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const exports: OtlpReceiver['exports'] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const contentType = request.headers['content-type'] ?? '';
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      exports.push({ contentType, body });
      try {
        spans.push(...spansOf(contentType.startsWith('application/x-protobuf') ? decodeProtobuf(body) : (JSON.parse(body.toString('utf8')) as WireRequest)));
      } catch (error) {
        console.error('OTLP receiver: undecodable export', error);
        response.writeHead(400).end();
        return;
      }
      // An empty ExportTraceServiceResponse, in the request's own encoding.
      if (contentType.startsWith('application/x-protobuf')) response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    spans,
    exports,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
