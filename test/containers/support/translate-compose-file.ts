import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

// docker-compose.yml, read as Compose would read it, turned into what the Docker Engine API needs
// to create its network, volumes and containers (POST /containers/create bodies), in start order.
// The container tests run the stack from this, so they run what the file says, not a copy of it.
// (Debian's docker-compose 1.29 cannot read the file; Compose v2 is not packaged for this machine.)
//
// Only what the file uses is supported; any other key, and any `$` (Compose would interpolate it),
// is refused rather than silently dropped, so a change to the file cannot pass the tests unread.

export interface TranslateOptions {
  /** Prefix of every name made (Compose's project name). */
  project: string;
  /** The folder relative paths in the file start from (the file's own folder). */
  directory: string;
  /** An env_file's text, or undefined when there is no such file. */
  readEnvFile: (path: string) => string | undefined;
  /** Where a published container port goes on the host (the tests: 127.0.0.1, a free port). */
  publish: (containerPort: string, hostPort: string) => { HostIp: string; HostPort: string };
  /** Put on everything made, so it can be found and removed. */
  labels: Record<string, string>;
}

export interface TranslatedService {
  name: string;
  containerName: string;
  /** The image a `build:` section makes; undefined for a service that only names an image. */
  buildContext?: string;
  dependsOn: Record<string, 'service_started' | 'service_healthy'>;
  create: Record<string, unknown>;
}

export interface TranslatedProject {
  network: string;
  volumes: string[];
  /** Every service, each after the ones it depends on. */
  services: TranslatedService[];
}

const serviceKeys = new Set(['image', 'build', 'command', 'depends_on', 'environment', 'env_file', 'healthcheck', 'ports', 'restart', 'stop_grace_period', 'volumes']);
const topKeys = new Set(['name', 'services', 'volumes']);

export function translateComposeFile(file: any, options: TranslateOptions): TranslatedProject {
  for (const key of Object.keys(file)) if (!topKeys.has(key) && !key.startsWith('x-')) throw new Error(`compose: top-level key "${key}" is not supported`);
  refuseInterpolation(file, 'compose file');
  const network = `${options.project}_default`;
  const declaredVolumes = Object.keys(file.volumes ?? {});
  const services = Object.entries<any>(file.services).map(([name, service]) => translateService(name, service, network, declaredVolumes, options));
  return { network, volumes: declaredVolumes.map((volume) => `${options.project}_${volume}`), services: inStartOrder(services) };
}

function translateService(name: string, service: any, network: string, declaredVolumes: string[], options: TranslateOptions): TranslatedService {
  for (const key of Object.keys(service)) if (!serviceKeys.has(key)) throw new Error(`compose: service ${name}: key "${key}" is not supported`);
  if (typeof service.image !== 'string') throw new Error(`compose: service ${name} names no image`);
  const mounts = (service.volumes ?? []).map((entry: string) => translateVolume(name, entry, declaredVolumes, options));
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const entry of service.ports ?? []) {
    const match = /^(?:(\d+):)?(\d+)$/.exec(String(entry));
    if (!match) throw new Error(`compose: service ${name}: port "${entry}" is not supported`);
    bindings[`${match[2]}/tcp`] = [options.publish(match[2]!, match[1] ?? '')];
  }
  const create: Record<string, unknown> = {
    Image: service.image,
    Env: Object.entries({ ...readEnvFiles(name, service.env_file, options), ...environmentOf(service.environment) }).map(([key, value]) => `${key}=${value}`),
    Labels: { ...options.labels, 'com.docker.compose.project': options.project, 'com.docker.compose.service': name },
    ExposedPorts: Object.fromEntries(Object.keys(bindings).map((port) => [port, {}])),
    HostConfig: {
      NetworkMode: network,
      RestartPolicy: { Name: service.restart ?? 'no' },
      Mounts: mounts,
      PortBindings: bindings,
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [name] } } },
  };
  if (service.command !== undefined) create.Cmd = Array.isArray(service.command) ? service.command : ['/bin/sh', '-c', service.command];
  if (service.healthcheck) create.Healthcheck = translateHealthcheck(service.healthcheck);
  if (service.stop_grace_period) create.StopTimeout = Math.ceil(nanoseconds(service.stop_grace_period) / 1e9);
  const buildContext = service.build === undefined ? undefined : resolve(options.directory, typeof service.build === 'string' ? service.build : service.build.context);
  return { name, containerName: `${options.project}-${name}-1`, buildContext, dependsOn: dependenciesOf(service.depends_on), create };
}

function translateVolume(service: string, entry: string, declaredVolumes: string[], options: TranslateOptions) {
  const [source, target, mode, ...rest] = entry.split(':');
  if (!source || !target || rest.length > 0 || (mode !== undefined && mode !== 'ro' && mode !== 'rw')) throw new Error(`compose: service ${service}: volume "${entry}" is not supported`);
  const readOnly = mode === 'ro';
  if (source.startsWith('.') || source.startsWith('/')) return { Type: 'bind', Source: resolve(options.directory, source), Target: target, ReadOnly: readOnly };
  if (!declaredVolumes.includes(source)) throw new Error(`compose: service ${service}: volume "${source}" is not declared`);
  return { Type: 'volume', Source: `${options.project}_${source}`, Target: target, ReadOnly: readOnly };
}

function translateHealthcheck(healthcheck: any) {
  const test = typeof healthcheck.test === 'string' ? ['CMD-SHELL', healthcheck.test] : healthcheck.test;
  return {
    Test: test,
    Interval: healthcheck.interval ? nanoseconds(healthcheck.interval) : 0,
    Timeout: healthcheck.timeout ? nanoseconds(healthcheck.timeout) : 0,
    StartPeriod: healthcheck.start_period ? nanoseconds(healthcheck.start_period) : 0,
    Retries: healthcheck.retries ?? 0,
  };
}

function readEnvFiles(service: string, envFile: unknown, options: TranslateOptions): Record<string, string> {
  const entries = envFile === undefined ? [] : Array.isArray(envFile) ? envFile : [envFile];
  const environment: Record<string, string> = {};
  for (const entry of entries) {
    const { path, required = true } = typeof entry === 'string' ? { path: entry } : entry;
    const text = options.readEnvFile(path);
    if (text === undefined) {
      if (required) throw new Error(`compose: service ${service}: env_file ${path} is required and missing`);
      continue;
    }
    Object.assign(environment, parseEnv(text));
  }
  return environment;
}

function environmentOf(environment: unknown): Record<string, string> {
  if (environment === undefined) return {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry: string) => {
      // A bare name takes its value from the shell Compose runs in: not translated.
      if (!entry.includes('=')) throw new Error(`compose: environment entry "${entry}" has no value`);
      return [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(environment as Record<string, unknown>).map(([key, value]) => [key, String(value)]));
}

function dependenciesOf(dependsOn: unknown): TranslatedService['dependsOn'] {
  if (dependsOn === undefined) return {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name: string) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(dependsOn as Record<string, { condition?: string }>).map(([name, { condition = 'service_started' }]) => {
    if (condition !== 'service_started' && condition !== 'service_healthy') throw new Error(`compose: depends_on condition "${condition}" is not supported`);
    return [name, condition];
  }));
}

function inStartOrder(services: TranslatedService[]): TranslatedService[] {
  const ordered: TranslatedService[] = [];
  const visit = (service: TranslatedService, path: string[]) => {
    if (ordered.includes(service)) return;
    if (path.includes(service.name)) throw new Error(`compose: depends_on cycle ${[...path, service.name].join(' -> ')}`);
    for (const dependency of Object.keys(service.dependsOn)) {
      const found = services.find((candidate) => candidate.name === dependency);
      if (!found) throw new Error(`compose: ${service.name} depends on unknown service ${dependency}`);
      visit(found, [...path, service.name]);
    }
    ordered.push(service);
  };
  for (const service of services) visit(service, []);
  return ordered;
}

/** A Compose duration ("1m30s", "10s", "500ms") in nanoseconds, as the Engine API wants it. */
function nanoseconds(duration: string): number {
  const units: Record<string, number> = { h: 3600e9, m: 60e9, s: 1e9, ms: 1e6, us: 1e3 };
  const parts = [...String(duration).matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== String(duration)) throw new Error(`compose: duration "${duration}" is not supported`);
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit!]!, 0);
}

function refuseInterpolation(value: unknown, where: string): void {
  if (typeof value === 'string' && value.includes('$')) throw new Error(`compose: ${where}: "${value}" would be interpolated, which is not supported`);
  if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) refuseInterpolation(inner, `${where}.${key}`);
}
