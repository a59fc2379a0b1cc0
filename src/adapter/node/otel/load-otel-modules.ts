// The OpenTelemetry packages, imported only when tracing is on: a gateway without an OTLP
// endpoint never loads them. Dynamic imports, so the bundled server (dist/server.js, packages
// left external) keeps them out of its static imports too. Only the exporter of the chosen
// protocol is loaded.

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export async function loadOtelModules(protocol: OtlpProtocol) {
  const [api, core, resources, sdk, exporter] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace'),
    protocol === 'http/json' ? import('@opentelemetry/exporter-trace-otlp-http') : import('@opentelemetry/exporter-trace-otlp-proto'),
  ]);
  return { api, core, resources, sdk, OTLPTraceExporter: exporter.OTLPTraceExporter, propagator: new core.W3CTraceContextPropagator() };
}

export type OtelModules = Awaited<ReturnType<typeof loadOtelModules>>;
