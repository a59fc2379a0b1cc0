import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { buildNodeScript } from '../support/build-node-script.ts';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';
import { adminHeaders, behaviourEnvironment, jsonInit } from '../support/target.ts';

// Redis going away under a running gateway, and not being there at start-up. The gateway must
// answer 503 STORAGE_UNAVAILABLE within 2 s (never hang), say "degraded" on /health, change
// nothing it was asked to while Redis was gone, and carry on by itself once Redis is back, with
// everything written before still there (append-only persistence).

let redis: TestRedisServer;
let gateway: NodeTarget;
let accessKey: string;

beforeAll(async () => {
  redis = await startRedisServer();
  gateway = await startTarget({ REDIS_URL: redis.url, LOG_LEVEL: 'info' });
  const created = await gateway.fetch('/keys', jsonInit('POST', { name: 'outage' }));
  accessKey = (await created.json()).key;
});
afterAll(async () => {
  await gateway?.close();
  await redis?.close();
});

async function timed(path: string, init?: RequestInit): Promise<{ status: number; body: any; ms: number }> {
  const started = Date.now();
  const response = await gateway.fetch(path, init);
  const body = await response.json();
  return { status: response.status, body, ms: Date.now() - started };
}

async function waitForHealthy(timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await gateway.fetch('/health')).status === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the gateway did not recover');
}

const names = async () => ((await (await gateway.fetch('/providers')).json()).data as Array<{ name: string }>).map((provider) => provider.name).sort();
const newProvider = (name: string) => jsonInit('POST', { name, baseUrl: `${gateway.upstreamUrl}/openai/v1`, apiKey: 'sk-CANARY-outage-0001', routingMethod: 'openai' });

const logged = (message: string) => gateway.logs().filter((line) => JSON.parse(line).message === message).length;

describe.each([
  // A closed connection is logged when it happens and when it is back; a frozen one is only seen by the calls that time out.
  ['stopped', () => redis.stop(), () => redis.start(), 1],
  ['frozen (SIGSTOP: connected, answering nothing)', async () => redis.freeze(), async () => redis.thaw(), 0],
] as const)('Redis %s', (_label, takeDown, bringBack, outagesLogged) => {
  it('answers 503 STORAGE_UNAVAILABLE within 2 s and degraded health, changes nothing, then recovers with nothing lost', async () => {
    const outagesBefore = logged('Redis connection lost; requests that need it answer 503 until it is back');
    const before = `before-${crypto.randomUUID().slice(0, 8)}`;
    expect((await gateway.fetch('/providers', newProvider(before))).status).toBe(201);
    const stored = await names();

    await takeDown();
    try {
      for (const [path, init] of [
        ['/providers', undefined],
        ['/providers', newProvider(`during-${crypto.randomUUID().slice(0, 8)}`)],
        ['/keys', jsonInit('POST', { name: 'during' })],
        ['/usage', { headers: { authorization: `Bearer ${accessKey}` } }],
        ['/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${accessKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: `${before}/gpt-test`, messages: [{ role: 'user', content: 'Hi' }] }) }],
      ] as const) {
        const answer = await timed(path, init);
        expect({ path, status: answer.status, code: answer.body.error?.code }).toEqual({ path, status: 503, code: 'STORAGE_UNAVAILABLE' });
        expect(answer.ms).toBeLessThan(2_000);
      }
      const health = await timed('/health', { headers: { authorization: '' } });
      expect(health.status).toBe(503);
      expect(health.body).toEqual({ status: 'degraded', timestamp: expect.any(String), version: expect.any(String) });
      expect(health.ms).toBeLessThan(2_000);
    } finally {
      await bringBack();
    }

    expect(await waitForHealthy(5_000)).toBeLessThan(5_000);
    expect([logged('Redis connection lost; requests that need it answer 503 until it is back'), logged('Redis connection restored')]).toEqual([outagesBefore + outagesLogged, outagesBefore + outagesLogged]);
    // What was stored before is there; what was refused during the outage was not half-done.
    expect(await names()).toEqual(stored);
    const keys = (await (await gateway.fetch('/keys', { headers: adminHeaders })).json()).data as Array<{ name: string }>;
    expect(keys.map((key) => key.name)).toEqual(['outage']);
    expect((await gateway.fetch('/usage', { headers: { authorization: `Bearer ${accessKey}` } })).status).toBe(200);
    const after = `after-${crypto.randomUUID().slice(0, 8)}`;
    expect((await gateway.fetch('/providers', newProvider(after))).status).toBe(201);
    expect(await names()).toEqual([...stored, after].sort());
  });
});

describe('start-up', () => {
  it('refuses REDIS_URL without PROVIDER_ENCRYPTION_KEY, naming both', async () => {
    await expect(createNodeApp({ environment: { ...behaviourEnvironment, PROVIDER_ENCRYPTION_KEY: undefined, REDIS_URL: redis.url }, logWrite: () => undefined })).rejects.toThrow(
      /REDIS_URL is set but PROVIDER_ENCRYPTION_KEY is not/,
    );
  });

  it.each([
    ['as the password', 'redis://gateway:sk-CANARY-redis-secret@127.0.0.1:{port}/0', 'redis://gateway:***@127.0.0.1:{port}/0'],
    ['in the user position (some clients read it as the password)', 'redis://sk-CANARY-redis-secret@127.0.0.1:{port}/0', 'redis://***@127.0.0.1:{port}/0'],
    ['in both positions', 'rediss://sk-CANARY-redis-user:sk-CANARY-redis-secret@127.0.0.1:{port}', 'rediss://sk-CANARY-redis-user:***@127.0.0.1:{port}'],
  ])('names REDIS_URL in a start-up failure with its secret %s masked, and logs no secret', async (label, template, shown) => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const lines: string[] = [];
    const starting = createNodeApp({ environment: { ...behaviourEnvironment, LOG_LEVEL: 'debug', REDIS_URL: template.replace('{port}', String(closedPort)) }, logWrite: (line) => lines.push(line), redisStartupWaitMs: 300 });
    const failure = await starting.then(() => undefined, (error: unknown) => error as Error);
    expect(failure?.message).toContain(`Cannot reach Redis at REDIS_URL (${shown.replace('{port}', String(closedPort))}) within 0.3 s`);
    // The user name is no secret when a password follows it; anything else is.
    const secrets = label === 'in both positions' ? ['sk-CANARY-redis-secret'] : ['sk-CANARY'];
    for (const secret of secrets) expect(`${failure?.message}\n${lines.join('\n')}`).not.toContain(secret);
  });

  it('exits non-zero after 10 s without Redis, naming REDIS_URL and never its password', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gateway-redis-startup-'));
    try {
      const script = join(folder, 'server.mjs');
      buildNodeScript('src/adapter/node/server.ts', script);
      const closedPort = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const { port } = server.address() as { port: number };
          server.close(() => resolve(port));
        });
      });
      const started = Date.now();
      const child = spawn(process.execPath, [script], {
        env: { PATH: process.env.PATH, ...behaviourEnvironment, HOST: '127.0.0.1', PORT: '0', REDIS_URL: `redis://gateway:sk-CANARY-redis-password@127.0.0.1:${closedPort}/0` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      const elapsed = Date.now() - started;
      expect(code).toBe(1);
      expect(elapsed).toBeGreaterThanOrEqual(10_000);
      expect(elapsed).toBeLessThan(15_000);
      expect(output).toContain(`Cannot start: Cannot reach Redis at REDIS_URL (redis://gateway:***@127.0.0.1:${closedPort}/0) within 10 s`);
      expect(output).not.toContain('sk-CANARY');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 30_000);
});
