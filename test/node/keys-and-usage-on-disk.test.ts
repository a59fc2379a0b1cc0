import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { buildNodeScript } from '../support/build-node-script.ts';
import { spawnNodeServer } from '../support/spawn-node-server.ts';
import { readSseData } from '../support/sse.ts';
import { ADMIN_TOKEN, adminHeaders, behaviourEnvironment } from '../support/target.ts';

// Access keys and the usage ledger in the data folder: what survives a restart, what a SIGKILL
// in the middle of heavy chat traffic leaves behind, and that no secret is ever written.

const PROVIDER_KEY = 'sk-CANARY-on-disk-0123456789abcdef';
let root: string;
let serverScript: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gateway-usage-disk-'));
  serverScript = join(root, 'server.mjs');
  buildNodeScript('src/adapter/node/server.ts', serverScript);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const environment = (folder: string) => ({ ...behaviourEnvironment, LOG_LEVEL: 'silent', PROVIDERS_FILE: join(folder, 'providers.json') });

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function setUp(request: (path: string, init?: RequestInit) => Promise<Response>) {
  const provider = await (
    await request('/api/v1/providers', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name: 'disk', baseUrl: `${inject('upstreamUrl')}/openai/v1`, apiKey: PROVIDER_KEY, routingMethod: 'openai' }) })
  ).json();
  const key = await (await request('/api/v1/keys', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name: 'disk-key', budget: { tokens: 1_000_000, period: 'month' } }) })).json();
  return { provider, key };
}

describe('keys and usage on disk', () => {
  it('marks a record whose tokens are the gateway\'s estimate (a stream left before its usage came)', async () => {
    const folder = await mkdtemp(join(root, 'estimated-'));
    const node = await createNodeApp({ environment: environment(folder) });
    try {
      const { key } = await setUp((path, init) => Promise.resolve(node.app.request(path, init)));
      const chat = (model: string) => node.app.request('/api/v1/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], stream: true }) });
      expect(await readSseData(await chat('disk/gpt-test'))).toContain('[DONE]');
      const reader = (await chat('disk/hang-body@estimated')).body!.getReader();
      let text = '';
      while (!text.includes('Hello')) text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      const file = join(folder, 'usage', `${new Date().toISOString().slice(0, 7)}.jsonl`);
      let lines: Array<Record<string, unknown>> = [];
      for (let waited = 0; lines.length < 2 && waited < 5_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        lines = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
      }
      expect(lines.map(({ model, outcome, promptTokens, completionTokens, estimated }) => ({ model, outcome, promptTokens, completionTokens, estimated }))).toEqual([
        { model: 'gpt-test', outcome: 200, promptTokens: 19, completionTokens: 6, estimated: false },
        // A quarter of the body's bytes for the prompt, "Hello" (5 bytes) for the answer.
        { model: 'hang-body@estimated', outcome: 499, promptTokens: Math.ceil(JSON.stringify({ model: 'disk/hang-body@estimated', messages: [{ role: 'user', content: 'Hi' }], stream: true }).length / 4), completionTokens: 2, estimated: true },
      ]);
    } finally {
      await node.close();
    }
  });

  it('survive a restart, and no data file holds a key', async () => {
    const folder = await mkdtemp(join(root, 'restart-'));
    const first = await createNodeApp({ environment: environment(folder) });
    const { provider, key } = await setUp((path, init) => Promise.resolve(first.app.request(path, init)));
    const asKey = { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' };
    const chat = (stream: boolean) => first.app.request('/api/v1/chat/completions', { method: 'POST', headers: asKey, body: JSON.stringify({ model: 'disk/gpt-test', messages: [{ role: 'user', content: 'Hi' }], stream }) });
    expect((await chat(false)).status).toBe(200);
    expect(await readSseData(await chat(true))).toContain('[DONE]');
    const before = await (await first.app.request('/api/v1/usage?groupBy=key,provider', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    const keyBefore = await (await first.app.request(`/api/v1/keys/${key.id}`, { headers: adminHeaders })).json();
    await first.close();

    const second = await createNodeApp({ environment: environment(folder) });
    const after = await (await second.app.request('/api/v1/usage?groupBy=key,provider', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    expect(after).toEqual(before);
    expect(after.data).toEqual([{ key: key.id, provider: provider.id, providerName: provider.name, requests: 2, errors: 0, promptTokens: 38, completionTokens: 12, cachedPromptTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0, unpricedRequests: 2 }]);
    expect(await (await second.app.request(`/api/v1/keys/${key.id}`, { headers: adminHeaders })).json()).toEqual(keyBefore);
    expect((await second.app.request('/api/v1/models', { headers: { authorization: `Bearer ${key.key}` } })).status).toBe(200);
    await second.close();

    const files = await filesUnder(folder);
    const names = files.map((file) => file.slice(folder.length + 1)).sort();
    expect(names).toEqual(['access-keys.json', 'providers.json', 'providers.json.salt', `usage/${new Date().toISOString().slice(0, 7)}.jsonl`, 'usage/checkpoint.json']);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toContain(PROVIDER_KEY);
      expect(text, file).not.toContain(key.key);
      expect(text, file).not.toContain(key.key.slice(4));
    }
    const stored = JSON.parse(await readFile(join(folder, 'access-keys.json'), 'utf8'));
    expect(stored.accessKeys[0].secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves a readable ledger holding every answered chat after a SIGKILL under load', async () => {
    const folder = await mkdtemp(join(root, 'kill-'));
    const { child, apiBase, exited } = await spawnNodeServer(serverScript, folder);
    const base = apiBase.replace(/\/api\/v1$/, '');
    const request = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);
    const { key } = await setUp(request);

    let answered = 0;
    let stop = false;
    const worker = async (index: number) => {
      while (!stop) {
        try {
          const response = await request('/api/v1/chat/completions', {
            method: 'POST',
            headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'disk/gpt-test', messages: [{ role: 'user', content: 'Hi' }], stream: index % 2 === 0 }),
          });
          const text = await response.text();
          if (response.status === 200 && (index % 2 === 1 || text.includes('[DONE]'))) answered++;
        } catch {
          // The server was killed under this request.
        }
      }
    };
    const workers = Array.from({ length: 16 }, (_, index) => worker(index));
    while (answered < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    await exited;
    stop = true;
    await Promise.all(workers);

    const [ledger] = (await readdir(join(folder, 'usage'))).map((name) => join(folder, 'usage', name));
    const lines = (await readFile(ledger!, 'utf8')).split('\n');
    const unreadable = lines.slice(0, -1).filter((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });
    // Every line but a torn last one is whole.
    expect(unreadable).toEqual([]);

    const restarted = await createNodeApp({ environment: environment(folder) });
    const usage = await (await restarted.app.request('/api/v1/usage', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    expect(usage.data[0].requests).toBeGreaterThanOrEqual(answered);
    expect(usage.data[0].errors).toBe(0);
    // And it keeps recording after the crash, on a line of its own.
    const after = await restarted.app.request('/api/v1/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'disk/gpt-test', messages: [{ role: 'user', content: 'Hi' }] }) });
    expect(after.status).toBe(200);
    await restarted.close();
    const last = (await readFile(ledger!, 'utf8')).trimEnd().split('\n').at(-1)!;
    expect(JSON.parse(last)).toMatchObject({ keyId: key.id, outcome: 200 });
  }, 60_000);
});
