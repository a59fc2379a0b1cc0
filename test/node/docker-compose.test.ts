import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// docker-compose.yml checked without a container engine: against the Compose Specification's
// JSON Schema (the compose-spec project's compose_spec.json, as shipped in the dclint package),
// linted by dclint itself, and read for what the README promises. npm run test:containers runs
// it (test/containers/compose-stack.test.ts).

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFile(new URL(path, root), 'utf8');

async function compileSchema() {
  const schema = JSON.parse(await read('node_modules/dclint/schemas/compose.schema.json'));
  expect(schema.title).toBe('Compose Specification');
  // Draft-07, Ajv's own default, named by an https URL Ajv does not know by that spelling.
  expect(schema.$schema).toBe('https://json-schema.org/draft-07/schema');
  delete schema.$schema;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

async function composeFile(): Promise<any> {
  return parse(await read('docker-compose.yml'), { merge: true });
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema, which refuses a broken copy of it', async () => {
    const validate = await compileSchema();
    const compose = await composeFile();
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    const broken = structuredClone(compose);
    broken.services.redis.healthcheck.retries = 'five';
    broken.services.proxy.ports = { published: 3000 };
    expect(validate(broken)).toBe(false);
  });

  it('passes dclint (every rule but the one that would hide the public port)', () => {
    const lint = spawnSync(process.execPath, ['node_modules/dclint/bin/dclint.cjs', 'docker-compose.yml', '--disable-rule', 'no-unbound-port-interfaces', '--max-warnings', '0', '--color', 'false'], {
      cwd: root.pathname,
      encoding: 'utf8',
    });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
  });

  it('runs two gateways on one persistent, append-only Redis, health-checked, with secrets from .env only', async () => {
    const compose = await composeFile();
    const { services, volumes } = compose;
    expect(Object.keys(services).sort()).toEqual(['gateway-1', 'gateway-2', 'proxy', 'redis']);
    for (const name of ['gateway-1', 'gateway-2']) {
      const gateway = services[name];
      expect(gateway.environment).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', REDIS_URL: 'redis://redis:6379/0', TRUST_PROXY: '1' });
      for (const secret of ['PROVIDER_ENCRYPTION_KEY', 'API_AUTH_TOKEN', 'ADMIN_TOKEN']) expect(gateway.environment).not.toHaveProperty(secret);
      expect(gateway.env_file).toEqual([{ path: '.env', required: true }]);
      expect(gateway.healthcheck.test.join(' ')).toContain('http://127.0.0.1:3000/api/v1/health');
      expect(gateway.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
      expect(gateway.ports).toBeUndefined();
    }
    expect(services.redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(services.redis.volumes).toEqual(['redis-data:/data']);
    expect(services.redis.ports).toBeUndefined();
    expect(services.redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(volumes).toHaveProperty('redis-data');
    expect(services.proxy.ports).toEqual(['3000:80']);
    const nginx = await read('deploy/nginx.conf');
    expect(nginx).toMatch(/server gateway-1:3000[^;]*;\s*server gateway-2:3000/);
    expect(nginx).toContain('proxy_buffering off;');
  });

  it('names in .env.example every variable the gateways need from .env, with no value for the secrets', async () => {
    const example = await read('.env.example');
    for (const secret of ['PROVIDER_ENCRYPTION_KEY', 'API_AUTH_TOKEN', 'ADMIN_TOKEN']) expect(example).toMatch(new RegExp(`^${secret}=$`, 'm'));
    expect(example).toMatch(/^REDIS_URL=$/m);
    expect(example).toMatch(/^REDIS_KEY_PREFIX=llmgw:$/m);
  });
});
