import packageJson from '../../../../package.json' with { type: 'json' };
import type { Logger } from '../../../logging/logger.ts';
import type { Tracing } from '../../../telemetry/tracing.ts';
import { loadOtelModules } from './load-otel-modules.ts';
import { createOtelTracing } from './otel-tracing.ts';
import { batchSettingsFrom, samplerFrom, tracingProtocol } from './otel-settings.ts';
import { warnOnceExporter } from './warn-once-exporter.ts';

// OpenTelemetry traces on Node, from the process environment's standard OTEL_* variables (the
// exporter reads its own from process.env, so nothing else is a source): with an OTLP endpoint
// set, the SDK is loaded and spans go out in batches over OTLP/HTTP; without one, nothing is
// loaded and undefined is returned (the core then only passes the trace context on).
// The batch processor exports in the background: a request never waits for the collector.

export interface NodeTracing extends Tracing {
  /** Exports what is still queued, waiting at most `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

const DEFAULT_SERVICE_NAME = 'llm-gateway';

export async function openOtelTracing(logger: Logger): Promise<NodeTracing | undefined> {
  const environment = process.env;
  const protocol = tracingProtocol(environment);
  if (protocol === undefined) return undefined;
  const modules = await loadOtelModules(protocol);
  const { resources, sdk } = modules;
  const collector = collectorOf(environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || environment.OTEL_EXPORTER_OTLP_ENDPOINT || '');
  const exporter = warnOnceExporter(new modules.OTLPTraceExporter(), logger, collector);
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, win over the defaults.
  const resource = resources
    .resourceFromAttributes({ 'service.name': DEFAULT_SERVICE_NAME, 'service.version': packageJson.version })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new sdk.TracerProvider({
    resource,
    sampler: samplerFrom(environment, sdk),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter, ...batchSettingsFrom(environment) })],
  });
  logger.info('traces: exporting over OTLP', { collector, protocol });
  return {
    ...createOtelTracing(modules, provider.getTracer(DEFAULT_SERVICE_NAME, packageJson.version)),
    async close(timeoutMs = 2_000) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([provider.shutdown().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}

/** Where spans go, for log lines: the collector's origin, never its path, query or credentials. */
function collectorOf(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'an invalid URL';
  }
}
