import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { translateComposeFile, type TranslateOptions } from '../containers/support/translate-compose-file.ts';

// The container tests (npm run test:containers) run docker-compose.yml through this translation;
// here, without an engine, what it makes of the shipped file, and that it refuses what it cannot
// translate instead of dropping it.

const root = new URL('../../', import.meta.url);
const composeFile = async () => parse(await readFile(new URL('docker-compose.yml', root), 'utf8'), { merge: true });
const options: TranslateOptions = {
  project: 'p',
  directory: '/repo',
  readEnvFile: (path) => (path === '.env' ? 'API_AUTH_TOKEN=from-env-file\n# a comment\nNODE_ENV=development\n' : undefined),
  publish: (containerPort, hostPort) => ({ HostIp: '127.0.0.1', HostPort: `${hostPort}->${containerPort}` }),
  labels: { test: 'yes' },
};

describe('translateComposeFile', () => {
  it('turns the shipped file into containers started after what they depend on', async () => {
    const stack = translateComposeFile(await composeFile(), options);
    expect(stack.network).toBe('p_default');
    expect(stack.volumes).toEqual(['p_redis-data']);
    expect(stack.services.map((service) => [service.name, service.containerName, service.dependsOn])).toEqual([
      ['redis', 'p-redis-1', {}],
      ['gateway-1', 'p-gateway-1-1', { redis: 'service_healthy' }],
      ['gateway-2', 'p-gateway-2-1', { redis: 'service_healthy' }],
      ['proxy', 'p-proxy-1', { 'gateway-1': 'service_healthy', 'gateway-2': 'service_healthy' }],
    ]);
    const [redis, gateway, , proxy] = stack.services as [any, any, any, any];
    expect(gateway.buildContext).toBe('/repo');
    expect(gateway.create.Image).toBe('llm-gateway:local');
    // The file's environment wins over the env_file, as in Compose.
    expect(gateway.create.Env).toEqual(['API_AUTH_TOKEN=from-env-file', 'NODE_ENV=production', 'HOST=0.0.0.0', 'PORT=3000', 'REDIS_URL=redis://redis:6379/0', 'TRUST_PROXY=1']);
    expect(gateway.create.Healthcheck).toEqual({
      Test: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:3000/api/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"],
      Interval: 10e9,
      Timeout: 3e9,
      StartPeriod: 15e9,
      Retries: 3,
    });
    expect(gateway.create.StopTimeout).toBe(15);
    expect(gateway.create.HostConfig).toEqual({ NetworkMode: 'p_default', RestartPolicy: { Name: 'unless-stopped' }, Mounts: [], PortBindings: {} });
    expect(gateway.create.NetworkingConfig).toEqual({ EndpointsConfig: { p_default: { Aliases: ['gateway-1'] } } });
    expect(redis.create.Cmd).toEqual(['redis-server', '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '']);
    expect(redis.create.HostConfig.Mounts).toEqual([{ Type: 'volume', Source: 'p_redis-data', Target: '/data', ReadOnly: false }]);
    expect(redis.create.Healthcheck.Test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(redis.buildContext).toBeUndefined();
    expect(proxy.create.HostConfig.Mounts).toEqual([{ Type: 'bind', Source: '/repo/deploy/nginx.conf', Target: '/etc/nginx/conf.d/default.conf', ReadOnly: true }]);
    expect(proxy.create.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '3000->80' }] });
    expect(proxy.create.ExposedPorts).toEqual({ '80/tcp': {} });
    expect(proxy.create.Labels).toEqual({ test: 'yes', 'com.docker.compose.project': 'p', 'com.docker.compose.service': 'proxy' });
  });

  it('refuses what it does not translate: an unknown key, interpolation, a missing required env_file', async () => {
    const file = await composeFile();
    expect(() => translateComposeFile({ ...file, networks: {} }, options)).toThrow('top-level key "networks" is not supported');
    const withKey = structuredClone(file);
    withKey.services.proxy.networks = ['front'];
    expect(() => translateComposeFile(withKey, options)).toThrow('service proxy: key "networks" is not supported');
    const interpolated = structuredClone(file);
    interpolated.services.redis.command = ['redis-server', '--requirepass', '${REDIS_PASSWORD}'];
    expect(() => translateComposeFile(interpolated, options)).toThrow('would be interpolated');
    expect(() => translateComposeFile(file, { ...options, readEnvFile: () => undefined })).toThrow('service gateway-1: env_file .env is required and missing');
  });
});
