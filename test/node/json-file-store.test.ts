import { buildSync } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { openJsonFileProviderStore, StoreFileError } from '../../src/adapter/node/json-file-provider-store.ts';
import { FileLockedError, LOCK_STALE_MS } from '../../src/adapter/node/file-lock.ts';
import { adminHeaders, behaviourEnvironment } from '../support/target.ts';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gateway-store-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const environment = () => ({ ...behaviourEnvironment, PROVIDERS_FILE: join(folder, 'providers.json'), LOG_LEVEL: 'silent' });

describe('JSON-file provider store', () => {
  it('keeps all of 200 concurrent creates, across a restart, in a 0600 file', async () => {
    const first = await createNodeApp({ environment: environment() });
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        first.app.request('/api/v1/providers', {
          method: 'POST',
          headers: adminHeaders,
          body: JSON.stringify({ name: `p${index}`, baseUrl: 'https://api.example.com/v1', apiKey: `sk-CANARY-concurrent-${index}`, routingMethod: 'openai' }),
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(200).fill(201));
    const listed = await (await first.app.request('/api/v1/providers', { headers: adminHeaders })).json();
    expect(listed.data).toHaveLength(200);
    await first.close();

    const second = await createNodeApp({ environment: environment() });
    const relisted = await (await second.app.request('/api/v1/providers', { headers: adminHeaders })).json();
    expect(new Set(relisted.data.map((provider: { name: string }) => provider.name)).size).toBe(200);
    await second.close();

    const file = join(folder, 'providers.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(`${file}.salt`)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).not.toContain('CANARY');
    // No temp files are left behind.
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('treats a missing file as no providers', async () => {
    const store = await openJsonFileProviderStore(join(folder, 'absent.json'));
    expect(await store.list()).toEqual([]);
  });

  it.each([
    ['not JSON', '{"version":1,"providers":[{"id":'],
    ['the wrong shape', '{"version":1,"providers":[{"id":"x"}]}'],
    ['an empty file', ''],
  ])('refuses to start on %s and leaves the file byte-identical', async (_, contents) => {
    const file = join(folder, 'providers.json');
    await writeFile(file, contents);
    await expect(createNodeApp({ environment: environment() })).rejects.toBeInstanceOf(StoreFileError);
    expect(await readFile(file, 'utf8')).toBe(contents);
    // The lock was released: a fixed file can be opened at once.
    await writeFile(file, '{"version":1,"providers":[]}');
    const node = await createNodeApp({ environment: environment() });
    await node.close();
  });

  it('refuses a second server on the same file at once, takes over a stale lock, and releases it on close', async () => {
    const file = join(folder, 'providers.json');
    const lock = `${file}.lock`;
    const first = await createNodeApp({ environment: environment() });
    // lockWaitMs 0: refuse at once instead of waiting LOCK_WAIT_MS for a lock its owner keeps fresh.
    const refused = createNodeApp({ environment: environment(), lockWaitMs: 0 });
    await expect(refused).rejects.toBeInstanceOf(FileLockedError);
    await expect(refused).rejects.toThrow(`${file} is locked by another running process (${lock} is held). Stop it, or point PROVIDERS_FILE at another file.`);
    await first.close();
    expect(existsSync(lock)).toBe(false);

    // What a SIGKILLed owner leaves: a lock nobody has refreshed for longer than the stale time.
    await mkdir(lock);
    const longAgo = new Date(Date.now() - LOCK_STALE_MS - 2_000);
    await utimes(lock, longAgo, longAgo);
    const next = await createNodeApp({ environment: environment(), lockWaitMs: 0 });
    expect((await stat(lock)).mtimeMs).toBeGreaterThan(longAgo.getTime() + LOCK_STALE_MS);
    await next.close();
    expect(existsSync(lock)).toBe(false);
  });

  it('refuses a lock file left by an earlier version, and leaves it alone', async () => {
    const file = join(folder, 'providers.json');
    await writeFile(`${file}.lock`, '1');
    await expect(createNodeApp({ environment: environment() })).rejects.toThrow(
      `${file} is locked by another running process (${file}.lock is a lock file written by an earlier version of the gateway; if no gateway runs on this file, delete it). Stop it, or point PROVIDERS_FILE at another file.`,
    );
    expect(await readFile(`${file}.lock`, 'utf8')).toBe('1');
  });

  it('takes its lock back when the lock directory is removed, and stops writing once another process holds it', async () => {
    const file = join(folder, 'providers.json');
    const lock = `${file}.lock`;
    const lines: string[] = [];
    const node = await createNodeApp({ environment: { ...environment(), LOG_LEVEL: 'info' }, logWrite: (line) => lines.push(line) });
    const messages = () => lines.map((line) => JSON.parse(line).message as string);
    const create = (name: string) =>
      node.app.request('/api/v1/providers', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name, baseUrl: 'https://api.example.com/v1', apiKey: 'sk-CANARY-lock-0001', routingMethod: 'openai' }) });
    let lost = false;
    void node.lockLost.then(() => (lost = true));

    await rm(lock, { recursive: true });
    // The owner looks at its lock every LOCK_STALE_MS / 2.
    await waitUntil(() => messages().includes('took the lock on the providers file back; no other process held it'), LOCK_STALE_MS);
    expect(messages()).toContain('lost the lock on the providers file');
    expect((await stat(lock)).isDirectory()).toBe(true);
    expect((await create('after-take-back')).status).toBe(201);
    expect(lost).toBe(false);

    // Another process takes the lock over.
    await rm(lock, { recursive: true });
    await mkdir(lock);
    await waitUntil(() => lost, LOCK_STALE_MS);
    expect(messages()).toContain('another process holds the providers file lock now: this process stops writing it');
    const before = await readFile(file, 'utf8');
    const refused = await create('after-loss');
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: { code: 'STORAGE_UNAVAILABLE', message: 'Another process has taken over the data folder; this server no longer writes it' } });
    expect(await readFile(file, 'utf8')).toBe(before);
    await node.close();
    // Closing does not remove the lock another process holds.
    expect((await stat(lock)).isDirectory()).toBe(true);
  }, 30_000);

  it('leaves the old or the new file, never a broken one, when killed mid-write', async () => {
    const writer = join(folder, 'store-writer.mjs');
    buildSync({ entryPoints: [new URL('../support/store-writer.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', outfile: writer, absWorkingDir: process.cwd(), logLevel: 'silent' });
    const file = join(folder, 'providers.json');
    let previousCount = 0;
    for (let round = 0; round < 8; round++) {
      const child = spawn(process.execPath, [writer, file], { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(`${file}.lock`, { force: true });
      const parsed = JSON.parse(await readFile(file, 'utf8'));
      expect(parsed.version).toBe(1);
      // Every round only adds, so the file never goes backwards.
      expect(parsed.providers.length).toBeGreaterThanOrEqual(previousCount);
      previousCount = parsed.providers.length;
      // The store opens it cleanly.
      await openJsonFileProviderStore(file);
    }
    expect(previousCount).toBeGreaterThan(0);
  }, 60_000);
});
