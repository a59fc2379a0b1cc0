import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The Node server as a user runs it: a process started from the command line.

const root = new URL('../..', import.meta.url).pathname;
let workspace: string;

beforeAll(async () => {
  // A fresh copy of the project, as a clone would have it (no data, no dist), sharing node_modules.
  workspace = await mkdtemp(join(tmpdir(), 'gateway-startup-'));
  for (const entry of ['src', 'scripts', 'package.json', 'tsconfig.json', 'packages/client/src', 'packages/client/package.json', 'packages/client/tsconfig.json', 'packages/client/build.mjs']) await cp(join(root, entry), join(workspace, entry), { recursive: true });
  await symlink(join(root, 'node_modules'), join(workspace, 'node_modules'));
  const build = run('node', ['scripts/build.mjs'], {});
  expect(await build.exited).toBe(0);
}, 60_000);
afterAll(() => rm(workspace, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(command: string, args: string[], environment: Record<string, string>): Running {
  // Its own process group, so that stopping `npm start` also stops the node process npm started
  // (npm does not pass SIGTERM on to its script's children).
  const child = spawn(command, args, { cwd: workspace, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? workspace, ...environment }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForHealth(port: number, running: Running, timeoutMs = 30_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) throw new Error(`server exited: ${running.output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (response.ok) return response;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no health answer: ${running.output()}`);
}

/** SIGTERM to the whole process group (npm and the server it started, or the server alone). */
async function stop(running: Running): Promise<number | null> {
  process.kill(-running.child.pid!, 'SIGTERM');
  return running.exited;
}

async function waitUntilClosed(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`still serving on ${port} after SIGTERM`);
}

describe('start-up', () => {
  it('`npm start` on a fresh copy with no configuration serves /api/v1/health and the console, then stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    // PORT only so that a busy 3000 on the test machine cannot make this flaky.
    const server = run('npm', ['start'], { PORT: String(port) });
    const health = await waitForHealth(port, server, 60_000);
    expect((await health.json()).status).toBe('ok');
    expect(server.output()).toContain('generated an encryption key');
    // Where to point a browser and an SDK, as the user configured the host (localhost by default).
    expect(server.output()).toContain(`"consoleUrl":"http://localhost:${port}/","apiUrl":"http://localhost:${port}/api/v1"`);
    // The console, built from source by `npm start` and served from beside dist/server.js.
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await page.text()).toContain('<title>LLM Gateway console</title>');
    const script = await fetch(`http://127.0.0.1:${port}/console.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    // Read to the end: a half-read answer is an open request, which the graceful stop waits for.
    expect(await script.text()).toBe(await readFile(join(workspace, 'dist', 'public', 'console.js'), 'utf8'));
    await stop(server);
    await waitUntilClosed(port);
  }, 90_000);

  it('`npm start` reads .env from the working directory, and the environment wins over it', async () => {
    const [port, portInFile] = [await freePort(), await freePort()];
    const token = 'dotenv-token-0123456789-abcdefghij';
    // .env.example as the README says to copy it, with a token and a port filled in.
    const example = await readFile(join(root, '.env.example'), 'utf8');
    const filled = example.replace(/^API_AUTH_TOKEN=$/m, `API_AUTH_TOKEN=${token}`).replace(/^PORT=3000$/m, `PORT=${portInFile}`);
    expect(filled).not.toBe(example);
    await writeFile(join(workspace, '.env'), filled);
    try {
      const server = run('npm', ['start'], { PORT: String(port) });
      await waitForHealth(port, server, 60_000);
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/providers`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/providers`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      await expect(fetch(`http://127.0.0.1:${portInFile}/api/v1/health`)).rejects.toThrow();
      await stop(server);
      await waitUntilClosed(port);
    } finally {
      await rm(join(workspace, '.env'), { force: true });
    }
  }, 90_000);

  it('refuses a PROVIDER_ENCRYPTION_KEY that cannot decrypt the stored keys, changing nothing', async () => {
    const port = await freePort();
    const data = await mkdtemp(join(tmpdir(), 'gateway-wrong-key-'));
    const base = { PORT: String(port), HOST: '127.0.0.1', PROVIDERS_FILE: join(data, 'providers.json') };
    const rightKey = 'right-key-0123456789-0123456789-0123456789';
    const wrongKey = 'wrong-key-0123456789-0123456789-0123456789';

    const first = run('node', ['dist/server.js'], { ...base, PROVIDER_ENCRYPTION_KEY: rightKey });
    await waitForHealth(port, first);
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/providers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'p', baseUrl: 'https://api.example.com/v1', apiKey: 'sk-CANARY-startup-key', routingMethod: 'openai' }),
    });
    expect(created.status).toBe(201);
    expect(await stop(first)).toBe(0);
    const before = await readFile(join(data, 'providers.json'));

    const second = run('node', ['dist/server.js'], { ...base, PROVIDER_ENCRYPTION_KEY: wrongKey });
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toContain('PROVIDER_ENCRYPTION_KEY');
    expect(second.output()).not.toContain(rightKey);
    expect(second.output()).not.toContain(wrongKey);
    expect(await readFile(join(data, 'providers.json'))).toEqual(before);

    const third = run('node', ['dist/server.js'], { ...base, PROVIDER_ENCRYPTION_KEY: rightKey });
    await waitForHealth(port, third);
    const listed = await (await fetch(`http://127.0.0.1:${port}/api/v1/providers`)).json();
    expect(listed.data).toHaveLength(1);
    expect(await stop(third)).toBe(0);
    await rm(data, { recursive: true, force: true });
  }, 90_000);

  it.each([
    ['production without PROVIDER_ENCRYPTION_KEY', { NODE_ENV: 'production' }, 'PROVIDER_ENCRYPTION_KEY'],
    ['a short PROVIDER_ENCRYPTION_KEY', { PROVIDER_ENCRYPTION_KEY: 'too-short' }, 'PROVIDER_ENCRYPTION_KEY'],
    ['a bad PORT', { PORT: 'eighty' }, 'PORT'],
    ['a non-loopback HOST without API_AUTH_TOKEN', { HOST: '0.0.0.0' }, 'API_AUTH_TOKEN'],
  ])('refuses to start with %s, naming the variable', async (_, environment, variable) => {
    const data = await mkdtemp(join(tmpdir(), 'gateway-refuse-'));
    const server = run('node', ['dist/server.js'], { PORT: String(await freePort()), PROVIDERS_FILE: join(data, 'providers.json'), ...environment });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(variable);
    expect(server.output()).not.toContain('too-short');
    await rm(data, { recursive: true, force: true });
  }, 30_000);
});
