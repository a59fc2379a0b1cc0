import { watch } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryResponseCache } from '../../src/adapter/node/memory-response-cache.ts';
import { buildNodeScript } from '../support/build-node-script.ts';
import { startTarget } from '../support/node-target.ts';
import { createTestProvider } from '../support/providers.ts';
import { spawnNodeServer } from '../support/spawn-node-server.ts';
import { adminHeaders } from '../support/target.ts';

// What only Node can show: an import killed at any moment leaves the providers file with all of
// the batch or none of it (one atomic write), and the in-memory response cache stays within
// RESPONSE_CACHE_MAX_BYTES however many distinct answers flood it.

let root: string;
let serverScript: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gateway-import-kill-'));
  serverScript = join(root, 'server.mjs');
  buildNodeScript('src/adapter/node/server.ts', serverScript);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const storedNames = async (folder: string): Promise<string[]> => {
  try {
    return (JSON.parse(await readFile(join(folder, 'providers.json'), 'utf8')).providers as Array<{ name: string }>).map((provider) => provider.name);
  } catch {
    return [];
  }
};

describe('an import killed part-way', () => {
  it('leaves all of the batch on disk or none of it', async () => {
    let killedMidWrite = 0;
    for (let round = 0; round < 6; round++) {
      const folder = await mkdtemp(join(root, `round-${round}-`));
      const server = await spawnNodeServer(serverScript, folder);
      // Even rounds kill the moment the new file's temporary copy appears (in the middle of the
      // one atomic write); odd rounds at a random moment, before or after it.
      const watcher = round % 2 === 0 ? watch(folder, (_event, name) => {
        if (name?.endsWith('.tmp') && name.includes('providers.json')) {
          server.child.kill('SIGKILL');
          killedMidWrite++;
        }
      }) : undefined;
      const batch = Array.from({ length: 500 }, (_, index) => ({ name: `bulk-${round}-${index}`, baseUrl: 'https://api.example.com/v1', apiKey: `sk-CANARY-bulk-${index}-0000000000`, routingMethod: 'openai' }));
      const answer = fetch(`${server.apiBase}/providers/import`, { method: 'POST', headers: adminHeaders, body: JSON.stringify({ providers: batch }) }).then((response) => response.status, () => 'cut');
      if (watcher) await Promise.race([answer, server.exited]);
      else await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
      server.child.kill('SIGKILL');
      await server.exited;
      watcher?.close();
      const status = await answer;
      const names = await storedNames(folder);
      expect([0, 500], `round ${round}: ${names.length} stored, answer ${status}`).toContain(names.length);
      // An answered import is on disk.
      if (status === 200) expect(names.length).toBe(500);
    }
    // The kill did land inside the write at least once (otherwise this proves little).
    expect(killedMidWrite).toBeGreaterThan(0);
  }, 90_000);
});

describe('the memory response cache', () => {
  it('stays within its byte bound, evicting the least recently used', async () => {
    const bound = 64 * 1024;
    const cache = createMemoryResponseCache(bound);
    const answer = 'x'.repeat(1000);
    await cache.set('kept', answer, 3600);
    for (let index = 0; index < 5000; index++) {
      await cache.set(`answer-${index}`, answer, 3600);
      if (index % 10 === 0) await cache.get('kept');
      expect(cache.calculatedSize).toBeLessThanOrEqual(bound);
    }
    expect(await cache.get('answer-0')).toBeNull();
    expect(await cache.get('answer-4999')).toBe(answer);
    expect(await cache.get('kept')).toBe(answer);
    // An answer larger than the whole bound is not stored at all.
    await cache.set('huge', 'y'.repeat(bound + 1), 3600);
    expect(await cache.get('huge')).toBeNull();
  });

  it('keeps the gateway within RESPONSE_CACHE_MAX_BYTES under a flood of distinct questions', async () => {
    const target = await startTarget({ RESPONSE_CACHE_MAX_BYTES: '16384', RESPONSE_CACHE_TTL_SECONDS: '3600' });
    const provider = await createTestProvider(target, 'openai');
    const ask = (index: number) =>
      target.fetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `${provider.name}/gpt-test`, messages: [{ role: 'user', content: `echo: question ${index} ${'.'.repeat(200)}` }] }) });
    for (let index = 0; index < 300; index++) expect((await ask(index)).headers.get('x-gateway-cache-status')).toBe('MISS');
    expect((await ask(299)).headers.get('x-gateway-cache-status')).toBe('HIT');
    expect((await ask(0)).headers.get('x-gateway-cache-status')).toBe('MISS');
    await target.close();
  }, 60_000);
});
