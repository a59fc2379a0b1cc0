import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildNodeScript } from '../support/build-node-script.ts';
import { startTarget, type NodeTarget } from '../support/node-target.ts';
import { createTestProvider } from '../support/providers.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';
import { behaviourEnvironment, CLIENT_TOKEN } from '../support/target.ts';

// One gateway is a child process (the bundled server, as deployed) and is killed with SIGKILL in
// the middle of a streamed answer; the other, on the same Redis, keeps serving as if nothing
// happened: nothing either of them needs lives in the dead one.

let redis: TestRedisServer;
let folder: string;
let child: ChildProcess;
let childBase: string;
let survivor: NodeTarget;

beforeAll(async () => {
  redis = await startRedisServer();
  folder = await mkdtemp(join(tmpdir(), 'gateway-kill-'));
  const script = join(folder, 'server.mjs');
  buildNodeScript('src/adapter/node/server.ts', script);
  const environment = { ...behaviourEnvironment, REDIS_URL: redis.url, LOG_LEVEL: 'info' };
  child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH, ...environment, HOST: '127.0.0.1', PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  childBase = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/api\/v1)"/.exec(output);
      if (url) resolve(url[1]!);
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', () => reject(new Error(`the child gateway exited: ${output}`)));
  });
  survivor = await startTarget({ REDIS_URL: redis.url, LOG_LEVEL: 'silent' });
}, 30_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  await survivor?.close();
  await redis?.close();
  await rm(folder, { recursive: true, force: true });
});

const chatInit = (model: string) => ({
  method: 'POST',
  headers: { authorization: `Bearer ${CLIENT_TOKEN}`, 'content-type': 'application/json' },
  body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }),
});

it('keeps serving from the other instance when one is killed mid-stream', async () => {
  const provider = await createTestProvider(survivor, 'openai');
  const streaming = await fetch(`${childBase}/chat/completions`, chatInit(`${provider.name}/slow-100@kill-${provider.run}`));
  expect(streaming.status).toBe(200);
  const reader = streaming.body!.getReader();
  const first = await reader.read();
  expect(new TextDecoder().decode(first.value)).toContain('data: {');

  const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  // The client of the dead instance sees its stream break off, without [DONE].
  let rest = '';
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
  } catch {
    // The connection was reset: what a client of a dead server sees.
  }
  expect(rest).not.toContain('[DONE]');

  // The survivor serves the same provider, streams to the end, and its health is ok.
  expect((await survivor.fetch('/health')).status).toBe(200);
  const served = await fetch(`${survivor.apiBase}/chat/completions`, chatInit(`${provider.name}/gpt-test`));
  expect(served.status).toBe(200);
  expect(await served.text()).toMatch(/data: \[DONE\]\n\n$/);
  const listed = (await (await survivor.fetch('/providers')).json()).data as Array<{ id: string }>;
  expect(listed.map((entry) => entry.id)).toContain(provider.id);
}, 30_000);
