import type { Sampler } from '@opentelemetry/sdk-trace';
import { ConfigError } from '../../../config/config-schema.ts';
import type { OtelModules, OtlpProtocol } from './load-otel-modules.ts';

// The standard OpenTelemetry variables the SDK packages leave to the program that sets them up
// (what @opentelemetry/sdk-node reads for its own setup): whether to trace, the protocol, the
// sampler and the batch processor's limits. The exporter reads the rest itself (endpoints,
// headers, timeout, compression, certificates), and the resource detector OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES. A bad value stops start-up with a message naming the variable.
// https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/

type Environment = Record<string, string | undefined>;

const setting = (environment: Environment, name: string) => {
  const value = environment[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/** Tracing is on when an OTLP endpoint is set, unless the SDK is disabled or the traces exporter is `none`. */
export function tracingProtocol(environment: Environment): OtlpProtocol | undefined {
  if (setting(environment, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') === undefined && setting(environment, 'OTEL_EXPORTER_OTLP_ENDPOINT') === undefined) return undefined;
  if (setting(environment, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  const exporters = (setting(environment, 'OTEL_TRACES_EXPORTER') ?? 'otlp').split(',').map((name) => name.trim());
  if (exporters.includes('none')) return undefined;
  if (exporters.some((name) => name !== 'otlp')) throw new ConfigError(['OTEL_TRACES_EXPORTER: only otlp (or none) is supported']);
  const name = setting(environment, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') === undefined ? 'OTEL_EXPORTER_OTLP_PROTOCOL' : 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL';
  const protocol = setting(environment, name) ?? 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') throw new ConfigError([`${name}: must be http/protobuf or http/json (grpc is not supported)`]);
  return protocol;
}

export function samplerFrom(environment: Environment, sdk: OtelModules['sdk']): Sampler {
  const name = setting(environment, 'OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on';
  const ratio = () => {
    const text = setting(environment, 'OTEL_TRACES_SAMPLER_ARG');
    const value = text === undefined ? 1 : Number(text);
    if (!Number.isFinite(value) || value < 0 || value > 1) throw new ConfigError(['OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1']);
    return new sdk.TraceIdRatioBasedSampler(value);
  };
  switch (name) {
    case 'always_on':
      return new sdk.AlwaysOnSampler();
    case 'always_off':
      return new sdk.AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_on':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new sdk.ParentBasedSampler({ root: ratio() });
    default:
      throw new ConfigError(['OTEL_TRACES_SAMPLER: must be always_on, always_off, traceidratio or parentbased_(always_on|always_off|traceidratio)']);
  }
}

/** The batch span processor's OTEL_BSP_* limits; unset ones keep the SDK's defaults. */
export function batchSettingsFrom(environment: Environment) {
  const names = {
    scheduledDelayMillis: 'OTEL_BSP_SCHEDULE_DELAY',
    exportTimeoutMillis: 'OTEL_BSP_EXPORT_TIMEOUT',
    maxQueueSize: 'OTEL_BSP_MAX_QUEUE_SIZE',
    maxExportBatchSize: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  } as const;
  const settings: Partial<Record<keyof typeof names, number>> = {};
  for (const [option, name] of Object.entries(names) as Array<[keyof typeof names, string]>) {
    const text = setting(environment, name);
    if (text === undefined) continue;
    if (!/^\d+$/.test(text)) throw new ConfigError([`${name}: must be a whole number`]);
    settings[option] = Number(text);
  }
  return settings;
}
