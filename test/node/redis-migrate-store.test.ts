import { createClient } from '@redis/client';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { buildNodeScript } from '../support/build-node-script.ts';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { createTestProvider } from '../support/providers.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';
import { adminHeaders, behaviourEnvironment, ENCRYPTION_KEY, jsonInit } from '../support/target.ts';

// `npm run migrate-store` from a data folder that a JSON-file gateway filled (providers, an access
// key, usage), into a real Redis; then a Redis-backed gateway serves all of it. And rotate-key on
// Redis (on the data the first test copied there).

let redis: TestRedisServer;
let folder: string;
let dataFolder: string;
let scripts: { migrate: string; rotate: string };
const prefix = 'migrated:';

function run(script: string, args: string[], environment: Record<string, string>) {
  const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env.PATH, ...environment }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

const migrate = (args: string[] = [], environment: Record<string, string> = {}) =>
  run(scripts.migrate, args, { PROVIDERS_FILE: join(dataFolder, 'providers.json'), REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, ...environment });

const chat = (target: NodeTarget, model: string, token?: string) =>
  target.fetch('/chat/completions', { method: 'POST', headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] }) });

let before: { providers: unknown; keys: unknown; usage: unknown; keyUsage: unknown; routes: unknown };
let accessKey: string;
let providerName: string;

beforeAll(async () => {
  redis = await startRedisServer();
  folder = await mkdtemp(join(tmpdir(), 'gateway-migrate-'));
  dataFolder = join(folder, 'data');
  scripts = { migrate: join(folder, 'migrate-store.mjs'), rotate: join(folder, 'rotate-key.mjs') };
  buildNodeScript('src/adapter/node/migrate-store.ts', scripts.migrate);
  buildNodeScript('src/adapter/node/rotate-key.ts', scripts.rotate);

  const source = await startTarget({ LOG_LEVEL: 'silent' }, dataFolder);
  try {
    const provider = await createTestProvider(source, 'openai', { apiKey: 'sk-CANARY-migrate-0001' });
    await createTestProvider(source, 'anthropic', { apiKey: 'sk-CANARY-migrate-0002' });
    providerName = provider.name;
    accessKey = (await (await source.fetch('/keys', jsonInit('POST', { name: 'migrated key', budget: { tokens: 100_000, period: 'month' } }))).json()).key;
    for (const token of [accessKey, accessKey, undefined]) expect((await chat(source, `${provider.name}/gpt-test`, token)).status).toBe(200);
    expect((await source.fetch('/routes', jsonInit('POST', { name: 'migrated-route', targets: [{ model: `${provider.name}/gpt-test` }] }))).status).toBe(201);
    before = {
      routes: (await (await source.fetch('/routes', { headers: adminHeaders })).json()).data,
      providers: (await (await source.fetch('/providers')).json()).data,
      keys: (await (await source.fetch('/keys', { headers: adminHeaders })).json()).data,
      usage: (await (await source.fetch('/usage?groupBy=key,provider,model,day', { headers: adminHeaders })).json()).data,
      keyUsage: (await (await source.fetch('/usage', { headers: { authorization: `Bearer ${accessKey}` } })).json()).data,
    };
  } finally {
    await source.close();
  }
}, 60_000);
afterAll(async () => {
  await redis?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('npm run migrate-store', () => {
  it('copies providers, the salt, keys and usage; the Redis gateway serves them as the file gateway did', async () => {
    const copied = await migrate();
    expect(copied).toMatchObject({ code: 0, stderr: '' });
    expect(copied.stdout).toBe(
      `Copied 2 provider(s) with their encrypted keys and the salt as stored, 1 access key(s), 1 route(s) and 3 usage record(s) from ${dataFolder} to ${redis.url} under the prefix ${prefix}.\n`,
    );

    // Ciphertexts and salt byte for byte as in the files: no key was needed, none was used.
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const file = JSON.parse(await readFile(join(dataFolder, 'providers.json'), 'utf8')) as { providers: Array<{ id: string }> };
      const stored = await client.hGetAll(`${prefix}providers`);
      expect(Object.fromEntries(Object.entries(stored).map(([id, text]) => [id, JSON.parse(text)]))).toEqual(Object.fromEntries(file.providers.map((provider) => [provider.id, provider])));
      expect(await client.get(`${prefix}salt`)).toBe((await readFile(join(dataFolder, 'providers.json.salt'), 'utf8')).trim());
    } finally {
      await client.close();
    }

    const again = await migrate();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing to do: .* already holds this copy of .* \(2 provider\(s\) .* 1 access key\(s\), 1 route\(s\) and 3 usage record\(s\)\)\.\n$/);

    const gateway = await startTarget({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'silent' });
    try {
      expect((await (await gateway.fetch('/providers')).json()).data).toEqual(before.providers);
      expect((await (await gateway.fetch('/keys', { headers: adminHeaders })).json()).data).toEqual(before.keys);
      expect((await (await gateway.fetch('/routes', { headers: adminHeaders })).json()).data).toEqual(before.routes);
      expect((await (await gateway.fetch('/usage?groupBy=key,provider,model,day', { headers: adminHeaders })).json()).data).toEqual(before.usage);
      expect((await (await gateway.fetch('/usage', { headers: { authorization: `Bearer ${accessKey}` } })).json()).data).toEqual(before.keyUsage);
      // The stored keys decrypt: the provider is called with it.
      expect((await chat(gateway, `${providerName}/gpt-test`, accessKey)).status).toBe(200);

      // Other data into the same prefix is refused, and --replace refuses while a gateway is on it.
      const otherFolder = join(folder, 'other');
      const other = await startTarget({ LOG_LEVEL: 'silent' }, otherFolder);
      await createTestProvider(other, 'openai');
      await other.close();
      const refused = await migrate([], { PROVIDERS_FILE: join(otherFolder, 'providers.json') });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^migrate-store: REDIS_URL already holds \d+ key\(s\) under the prefix migrated: from a copy of other data\. Nothing was written\. Run again with --replace/);
      const busy = await migrate(['--replace'], { PROVIDERS_FILE: join(otherFolder, 'providers.json') });
      expect(busy).toMatchObject({ code: 1, stderr: 'migrate-store: gateways are connected to REDIS_URL: stop them before --replace deletes what they serve.\n' });
    } finally {
      await gateway.close();
    }
    expect((await migrate(['--replace'])).code).toBe(0);
    expect((await migrate(['--bogus'])).stderr).toBe('migrate-store: unknown argument --bogus; the only option is --replace.\n');
  }, 60_000);

  it('carries custom header values encrypted, and refuses values an older version stored in plain text', async () => {
    const headerFolder = join(folder, 'headers');
    const source = await startTarget({ LOG_LEVEL: 'silent' }, headerFolder);
    await createTestProvider(source, 'openai', { customHeaders: { 'X-Goog-Api-Key': 'AIza-CANARY-migrate-header-0001' } });
    await source.close();
    const file = join(headerFolder, 'providers.json');
    const sealed = await readFile(file, 'utf8');
    expect(sealed).not.toContain('CANARY');
    const headerPrefix = 'migrated-headers:';
    expect((await migrate([], { PROVIDERS_FILE: file, REDIS_KEY_PREFIX: headerPrefix })).code).toBe(0);
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      expect(JSON.stringify(await client.hGetAll(`${headerPrefix}providers`))).not.toContain('CANARY');
    } finally {
      await client.close();
    }

    // A record as an older version wrote it: its values in plain text.
    const stored = JSON.parse(sealed);
    delete stored.providers[0].encryptedCustomHeaders;
    stored.providers[0].customHeaders = { 'X-Goog-Api-Key': 'AIza-CANARY-migrate-header-0001' };
    await writeFile(file, JSON.stringify(stored));
    const refused = await migrate(['--replace'], { PROVIDERS_FILE: file, REDIS_KEY_PREFIX: 'migrated-plain:' });
    expect(refused).toMatchObject({ code: 1, stderr: `migrate-store: 1 provider(s) in ${file} hold custom header values in plain text (stored by an older version). Start the server once on this data folder (it encrypts them), stop it, then copy. Nothing was written.\n` });
  }, 30_000);
});

describe('npm run rotate-key on Redis', () => {
  const newKey = 'rotated-redis-encryption-key-0123456789abcdef';
  const redisEnvironment = () => ({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix });

  it('refuses while a gateway is connected, then re-encrypts every record for the new key', async () => {
    const rotate = () => run(scripts.rotate, [], { ...redisEnvironment(), OLD_PROVIDER_ENCRYPTION_KEY: ENCRYPTION_KEY, NEW_PROVIDER_ENCRYPTION_KEY: newKey });
    const gateway = await startTarget({ ...redisEnvironment(), LOG_LEVEL: 'silent' });
    const refused = await rotate();
    await gateway.close();
    expect(refused).toMatchObject({ code: 1, stderr: 'rotate-key: 1 gateway connection(s) are open on REDIS_URL: stop every gateway first, then rotate, then start them with the new key.\n' });

    const rotated = await rotate();
    expect(rotated).toMatchObject({ code: 0, stdout: 'Re-encrypted 2 provider key(s) and their custom header values in REDIS_URL. Start the server with PROVIDER_ENCRYPTION_KEY set to the new key.\n' });
    await expect(createNodeApp({ environment: { ...behaviourEnvironment, ...redisEnvironment() }, logWrite: () => undefined })).rejects.toThrow(/PROVIDER_ENCRYPTION_KEY cannot decrypt the stored providers/);
    const renewed = await startTarget({ ...redisEnvironment(), PROVIDER_ENCRYPTION_KEY: newKey, LOG_LEVEL: 'silent' });
    try {
      expect((await chat(renewed, `${providerName}/gpt-test`)).status).toBe(200);
    } finally {
      await renewed.close();
    }
  }, 30_000);
});
