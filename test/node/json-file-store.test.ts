import { buildSync } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { openJsonFileProviderStore, StoreFileError } from '../../src/adapter/node/json-file-provider-store.ts';
import { FileLockedError } from '../../src/adapter/node/file-lock.ts';
import { adminHeaders, behaviourEnvironment } from '../support/target.ts';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gateway-store-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

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

  it('refuses a second process on the same file', async () => {
    const file = join(folder, 'providers.json');
    // A lock held by a live process other than this one (the parent of the test runner).
    await writeFile(`${file}.lock`, String(process.ppid));
    await expect(createNodeApp({ environment: environment() })).rejects.toBeInstanceOf(FileLockedError);
    // A stale lock (its process is gone) is taken over.
    await writeFile(`${file}.lock`, '2147483646');
    const node = await createNodeApp({ environment: environment() });
    await node.close();
  });

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
