import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_STALE_MS, LOCK_WAIT_MS } from '../../src/adapter/node/file-lock.ts';
import { buildNodeScript } from '../support/build-node-script.ts';

// The data file's lock as containers see it: each server runs as PID 1 in its own PID namespace
// (`unshare --pid --fork --mount-proc`, as root), so a pid cannot tell the owners apart. Two
// servers, and rotate-key, on one data folder, as two containers on one volume would be.

const ENCRYPTION_KEY = 'pid-namespace-test-key-0123456789-0123456789';
const STARTUP_SLACK_MS = 5_000;
let scripts: string;
let folder: string;
const running = new Set<Running>();

beforeAll(async () => {
  const probe = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, '-e', 'process.stdout.write(String(process.pid))']);
  if (probe.stdout?.toString() !== '1') throw new Error(`unshare cannot start a process as PID 1 here (needs root): ${probe.stderr?.toString()}`);
  scripts = await mkdtemp(join(tmpdir(), 'gateway-pidns-scripts-'));
  buildNodeScript('src/adapter/node/server.ts', join(scripts, 'server.mjs'));
  buildNodeScript('src/adapter/node/rotate-key.ts', join(scripts, 'rotate-key.mjs'));
}, 60_000);
afterAll(() => rm(scripts, { recursive: true, force: true }));

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gateway-pidns-'));
});
afterEach(async () => {
  for (const process of running) process.kill('SIGKILL');
  await Promise.all([...running].map((process) => process.exited));
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder);
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const providersFile = () => join(folder, 'providers.json');
const lockedMessage = () =>
  `${providersFile()} is locked by another running process (its owner kept ${providersFile()}.lock fresh for the ${LOCK_WAIT_MS / 1000} s this process waited; a crashed process's lock expires ${LOCK_STALE_MS / 1000} s after the crash). Stop it, or point PROVIDERS_FILE at another file.`;

interface Running {
  output(): string;
  exited: Promise<number | null>;
  /** Signals the node process itself (PID 1 inside, a child of the unshare wrapper outside). */
  kill(signal: NodeJS.Signals): void;
}

function inOwnPidNamespace(script: string, environment: Record<string, string>): Running {
  // --kill-child: should the wrapper die, the kernel kills the namespace's PID 1 and all below it.
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL', process.execPath, join(scripts, script)], {
    env: { PATH: process.env.PATH!, PROVIDERS_FILE: providersFile(), ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle: Running = {
    output: () => output,
    exited,
    kill(signal) {
      if (child.exitCode !== null) return;
      const nodePid = Number(readChildren(child.pid!)[0]);
      if (nodePid > 0) process.kill(nodePid, signal);
      else child.kill('SIGKILL');
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

function readChildren(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startServer(timeoutMs = STARTUP_SLACK_MS) {
  const port = await freePort();
  const server = inOwnPidNamespace('server.mjs', { HOST: '127.0.0.1', PORT: String(port), PROVIDER_ENCRYPTION_KEY: ENCRYPTION_KEY, LOG_LEVEL: 'info' });
  const started = Date.now();
  const base = `http://127.0.0.1:${port}/api/v1`;
  const deadline = started + timeoutMs;
  for (;;) {
    const answered = await fetch(`${base}/health`).then((response) => response.ok, () => false);
    if (answered) break;
    if (Date.now() > deadline) throw new Error(`no health answer within ${timeoutMs} ms: ${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ...server, base, startedInMs: Date.now() - started, logs: () => server.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)) };
}

async function createProvider(base: string, name: string): Promise<number> {
  const response = await fetch(`${base}/providers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, baseUrl: 'https://api.example.com/v1', apiKey: `sk-CANARY-pidns-${name}`, routingMethod: 'openai' }),
  });
  await response.body?.cancel();
  return response.status;
}

async function providerNames(base: string): Promise<string[]> {
  const { data } = await (await fetch(`${base}/providers`)).json();
  return data.map((provider: { name: string }) => provider.name);
}

describe('the data file lock across PID namespaces', () => {
  it('a second server, and rotate-key, each PID 1 in its own namespace, refuse the file the first holds; the first keeps serving', async () => {
    const first = await startServer();
    expect(first.logs().find((line) => line.message === 'listening').pid).toBe(1);
    expect(await createProvider(first.base, 'first')).toBe(201);
    const before = await readFile(providersFile(), 'utf8');

    const started = Date.now();
    const second = inOwnPidNamespace('server.mjs', { HOST: '127.0.0.1', PORT: String(await freePort()), PROVIDER_ENCRYPTION_KEY: ENCRYPTION_KEY });
    const rotate = inOwnPidNamespace('rotate-key.mjs', { OLD_PROVIDER_ENCRYPTION_KEY: ENCRYPTION_KEY, NEW_PROVIDER_ENCRYPTION_KEY: `${ENCRYPTION_KEY}-new` });
    expect(await second.exited).toBe(1);
    expect(await rotate.exited).toBe(1);
    const waited = Date.now() - started;
    // It waited for the lock to go stale, which a live owner never lets happen, and then gave up.
    expect(waited).toBeGreaterThanOrEqual(LOCK_WAIT_MS);
    expect(waited).toBeLessThan(LOCK_WAIT_MS + STARTUP_SLACK_MS);
    expect(second.output()).toContain(`Cannot start: ${lockedMessage()}\n`);
    expect(second.output()).toContain('"message":"the providers file is locked; waiting in case the lock was left by a crashed process"');
    expect(rotate.output()).toContain(`rotate-key: ${lockedMessage()}\n`);
    expect(rotate.output()).not.toContain(ENCRYPTION_KEY);

    expect(await readFile(providersFile(), 'utf8')).toBe(before);
    expect(await providerNames(first.base)).toEqual(['first']);
    expect(await createProvider(first.base, 'still-the-writer')).toBe(201);
    expect(await providerNames(first.base)).toEqual(['first', 'still-the-writer']);

    first.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // Released on a clean stop.
    expect(existsSync(`${providersFile()}.lock`)).toBe(false);
  }, 60_000);

  it('after the owner is SIGKILLed, a new server starts once the lock goes stale, within the bounded wait', async () => {
    const first = await startServer();
    expect(await createProvider(first.base, 'survivor')).toBe(201);
    first.kill('SIGKILL');
    // unshare reports a child killed by a signal as its own status 1.
    expect(await first.exited).not.toBe(0);
    expect(first.output()).not.toContain('shutting down');
    expect(existsSync(`${providersFile()}.lock`)).toBe(true);

    const restarted = await startServer(LOCK_WAIT_MS + STARTUP_SLACK_MS);
    expect(restarted.logs().map((line) => line.message)).toContain('the providers file is locked; waiting in case the lock was left by a crashed process');
    expect(restarted.logs().find((line) => line.message === 'listening').pid).toBe(1);
    expect(await providerNames(restarted.base)).toEqual(['survivor']);

    restarted.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    expect(existsSync(`${providersFile()}.lock`)).toBe(false);
  }, 60_000);

  it('a server whose lock another process took over stops with status 1, without a crash, and leaves the file and that lock alone', async () => {
    const server = await startServer();
    expect(await createProvider(server.base, 'kept')).toBe(201);
    const before = await readFile(providersFile(), 'utf8');

    // What a second container that found the lock stale would do: remove it and make its own.
    await rm(`${providersFile()}.lock`, { recursive: true });
    await mkdir(`${providersFile()}.lock`);
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(`Stopping: another process took over the lock on PROVIDERS_FILE (${providersFile()}); run one server per data file.\n`);
    expect(server.logs().map((line) => line.message)).toEqual(expect.arrayContaining([
      'lost the lock on the providers file',
      'another process holds the providers file lock now: this process stops writing it',
      'shutting down',
    ]));
    expect(server.output()).not.toMatch(/\n\s+at /);
    expect(await readFile(providersFile(), 'utf8')).toBe(before);
    expect(existsSync(`${providersFile()}.lock`)).toBe(true);
  }, 30_000);
});
