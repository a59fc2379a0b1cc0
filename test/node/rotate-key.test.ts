import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { base64ToBytes } from '../../src/crypto/base64.ts';
import { createKeyCipher } from '../../src/crypto/key-cipher.ts';
import { buildNodeScript } from '../support/build-node-script.ts';
import { adminHeaders, behaviourEnvironment } from '../support/target.ts';

const keyA = 'rotation-key-A-0123456789-0123456789-abcdef';
const keyB = 'rotation-key-B-0123456789-0123456789-abcdef';
let folder: string;
let script: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gateway-rotate-'));
  script = join(folder, 'rotate-key.mjs');
  buildNodeScript('src/adapter/node/rotate-key.ts', script);
});
afterAll(() => rm(folder, { recursive: true, force: true }));

function rotate(providersFile: string, oldKey: string | undefined, newKey: string) {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH, PROVIDERS_FILE: providersFile, ...(oldKey === undefined ? {} : { OLD_PROVIDER_ENCRYPTION_KEY: oldKey }), NEW_PROVIDER_ENCRYPTION_KEY: newKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return { child, exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))), output: () => output };
}

/** Which key decrypts every record, its API key and its custom header values: 'A', 'B', or 'mixed' (which would mean lost data). */
async function keyOfAllRecords(providersFile: string): Promise<'A' | 'B' | 'mixed'> {
  const salt = base64ToBytes((await readFile(`${providersFile}.salt`, 'utf8')).trim());
  const ciphers = { A: await createKeyCipher(keyA, salt), B: await createKeyCipher(keyB, salt) };
  const { providers } = JSON.parse(await readFile(providersFile, 'utf8'));
  const owners = new Set<string>();
  for (const provider of providers) {
    if (provider.encryptedApiKey === null) continue;
    for (const [name, cipher] of Object.entries(ciphers)) {
      const plaintext = await cipher.decrypt(provider.encryptedApiKey, provider.id).catch(() => undefined);
      if (plaintext !== undefined) {
        expect(plaintext).toBe(`sk-CANARY-rotate-${provider.name}`);
        // Providers made with custom headers have their values sealed with the same key.
        if (provider.encryptedCustomHeaders !== undefined) {
          expect(JSON.parse(await cipher.decrypt(provider.encryptedCustomHeaders, provider.id))).toEqual({ 'X-Goog-Api-Key': `hdr-CANARY-rotate-${provider.name}` });
        }
        owners.add(name);
      }
    }
  }
  return owners.size === 1 ? ([...owners][0] as 'A' | 'B') : 'mixed';
}

describe('rotate-key', () => {
  it('re-encrypts every record, and a kill at any moment leaves all-old or all-new', async () => {
    const providersFile = join(folder, 'providers.json');
    const node = await createNodeApp({ environment: { ...behaviourEnvironment, LOG_LEVEL: 'silent', PROVIDERS_FILE: providersFile, PROVIDER_ENCRYPTION_KEY: keyA } });
    for (let index = 0; index < 150; index++) {
      const response = await node.app.request('/api/v1/providers', {
        method: 'POST',
        headers: adminHeaders,
        body: JSON.stringify({ name: `p${index}`, baseUrl: 'https://api.example.com/v1', apiKey: `sk-CANARY-rotate-p${index}`, routingMethod: 'openai', customHeaders: { 'X-Goog-Api-Key': `hdr-CANARY-rotate-p${index}` } }),
      });
      expect(response.status).toBe(201);
    }
    await node.close();

    let current: 'A' | 'B' = 'A';
    const keys = { A: keyA, B: keyB };
    for (let round = 0; round < 6; round++) {
      const next = current === 'A' ? 'B' : 'A';
      const run = rotate(providersFile, keys[current], keys[next]);
      // Kill somewhere between start-up and completion.
      const killer = setTimeout(() => run.child.kill('SIGKILL'), 30 + Math.random() * 150);
      await run.exited;
      clearTimeout(killer);
      // A run killed while it held the lock leaves it behind, and the next run would wait for it
      // to go stale (LOCK_STALE_MS) and then be killed again before reaching its write. An operator
      // re-running the command would wait; the test removes the dead run's lock instead.
      await rm(`${providersFile}.lock`, { recursive: true, force: true });
      const owner = await keyOfAllRecords(providersFile);
      expect(owner, `round ${round}: ${run.output()}`).not.toBe('mixed');
      current = owner as 'A' | 'B';
    }

    // A complete rotation, then the server starts with the new key and not with the old one.
    const next = current === 'A' ? 'B' : 'A';
    const run = rotate(providersFile, keys[current], keys[next]);
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toContain('Re-encrypted 150');
    expect(await keyOfAllRecords(providersFile)).toBe(next);
    const restarted = await createNodeApp({ environment: { ...behaviourEnvironment, LOG_LEVEL: 'silent', PROVIDERS_FILE: providersFile, PROVIDER_ENCRYPTION_KEY: keys[next] } });
    await restarted.close();
    await expect(createNodeApp({ environment: { ...behaviourEnvironment, LOG_LEVEL: 'silent', PROVIDERS_FILE: providersFile, PROVIDER_ENCRYPTION_KEY: keys[current] } })).rejects.toThrow(/PROVIDER_ENCRYPTION_KEY/);
  }, 60_000);

  it('refuses the wrong old key and changes nothing', async () => {
    const providersFile = join(folder, 'providers.json');
    const before = await readFile(providersFile);
    const run = rotate(providersFile, 'definitely-not-the-key-0123456789-0123456789', keyA);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('OLD_PROVIDER_ENCRYPTION_KEY');
    expect(await readFile(providersFile)).toEqual(before);
  });

  it('rewrites a generated data/encryption.key with the new key, so an old backup cannot be read with the file on disk', async () => {
    const data = join(folder, 'generated');
    await mkdir(data);
    const providersFile = join(data, 'providers.json');
    const keyFile = join(data, 'encryption.key');
    // The default `npm start`: no PROVIDER_ENCRYPTION_KEY, so one is generated into the data folder.
    const generatedEnvironment = { ...behaviourEnvironment, LOG_LEVEL: 'silent', NODE_ENV: 'development', PROVIDER_ENCRYPTION_KEY: undefined, PROVIDERS_FILE: providersFile };
    const node = await createNodeApp({ environment: generatedEnvironment });
    const created = await node.app.request('/api/v1/providers', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name: 'gen', baseUrl: 'https://api.example.com/v1', apiKey: 'sk-CANARY-rotate-gen', routingMethod: 'openai' }) });
    expect(created.status).toBe(201);
    await node.close();
    const generated = (await readFile(keyFile, 'utf8')).trim();
    const backup = join(folder, 'backup-providers.json');
    await copyFile(providersFile, backup);

    // Without OLD_PROVIDER_ENCRYPTION_KEY the old key is the generated file's.
    const run = rotate(providersFile, undefined, keyB);
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toContain(`Re-encrypted 1 provider key(s) and their custom header values in ${providersFile}.`);
    expect(run.output()).toContain(`${keyFile} now holds the new key`);
    expect(run.output()).not.toContain(keyB);
    expect(run.output()).not.toContain(generated);

    expect(await readFile(keyFile, 'utf8')).toBe(`${keyB}\n`);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    // The old key is nowhere in the folder any more: the backup is unreadable with what is on disk.
    const salt = base64ToBytes((await readFile(`${providersFile}.salt`, 'utf8')).trim());
    const onDisk = await createKeyCipher((await readFile(keyFile, 'utf8')).trim(), salt);
    const [old] = JSON.parse(await readFile(backup, 'utf8')).providers;
    await expect(onDisk.decrypt(old.encryptedApiKey, old.id)).rejects.toThrow();
    // And the server, still with no PROVIDER_ENCRYPTION_KEY, starts on the rotated records.
    const restarted = await createNodeApp({ environment: generatedEnvironment });
    const [provider] = (await (await restarted.app.request('/api/v1/providers', { headers: adminHeaders })).json()).data;
    expect(provider.name).toBe('gen');
    await restarted.close();
  });

  it('keeps a provider without a key as it is, beside one with a key', async () => {
    const providersFile = join(folder, 'keyless', 'providers.json');
    const node = await createNodeApp({ environment: { ...behaviourEnvironment, LOG_LEVEL: 'silent', PROVIDERS_FILE: providersFile, PROVIDER_ENCRYPTION_KEY: keyA } });
    for (const body of [{ name: 'keyed', apiKey: 'sk-CANARY-rotate-keyed' }, { name: 'local' }]) {
      const response = await node.app.request('/api/v1/providers', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ ...body, baseUrl: 'https://api.example.com/v1', routingMethod: 'openai' }) });
      expect(response.status).toBe(201);
    }
    await node.close();
    const run = rotate(providersFile, keyA, keyB);
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toContain('Re-encrypted 1 provider key(s)');
    expect(await keyOfAllRecords(providersFile)).toBe('B');
    const { providers } = JSON.parse(await readFile(providersFile, 'utf8'));
    expect(providers.map((provider: { name: string; encryptedApiKey: unknown; apiKeyHint: unknown }) => [provider.name, provider.encryptedApiKey === null, provider.apiKeyHint])).toEqual([
      ['keyed', false, '…eyed'],
      ['local', true, null],
    ]);
    const restarted = await createNodeApp({ environment: { ...behaviourEnvironment, LOG_LEVEL: 'silent', PROVIDERS_FILE: providersFile, PROVIDER_ENCRYPTION_KEY: keyB } });
    await restarted.close();
  });
});
