import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from './support/docker-engine.ts';
import {
  API_AUTH_TOKEN,
  ADMIN_TOKEN,
  FAKE_UPSTREAM_PORT,
  PROVIDER_ENCRYPTION_KEY,
  chat,
  createNetwork,
  createProvider,
  gatewayImage,
  host,
  inspect,
  logs,
  providerNames,
  publishedUrl,
  startFakeUpstream,
  testLabel,
  waitForHealth,
} from './support/containers.ts';

// The image the Dockerfile builds, run as `docker run` runs it: its user, its HEALTHCHECK, its
// /app/data volume and its answer to SIGTERM. A fake upstream (bench/fake-upstream.mjs) runs in a
// container beside it, on a network of the test's own.

const network = 'llmgw-test-image';
// The secrets in an env file, as the README's `docker run` has them.
const envFile = join(mkdtempSync(join(tmpdir(), 'llmgw-image-')), 'gateway.env');
writeFileSync(envFile, `PROVIDER_ENCRYPTION_KEY=${PROVIDER_ENCRYPTION_KEY}\nAPI_AUTH_TOKEN=${API_AUTH_TOKEN}\nADMIN_TOKEN=${ADMIN_TOKEN}\n`, { mode: 0o600 });

/** `docker run` of the image with the given extra arguments; the server's port on 127.0.0.1. */
async function runGateway(name: string, extra: string[] = []): Promise<string> {
  await docker(host(), [
    'run', '--detach', '--name', name, '--label', testLabel, '--network', network, '--publish', '127.0.0.1::3000',
    '--env-file', envFile, '--env', `ALLOW_PRIVATE_UPSTREAMS=fake-upstream:${FAKE_UPSTREAM_PORT}`, ...extra, gatewayImage(),
  ]);
  return serving(name);
}

/** The gateway's URL once it answers its health route. */
async function serving(name: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const url = await publishedUrl(name, '3000').catch(() => undefined);
    const status = url && (await fetch(`${url}/api/v1/health`).then((response) => response.status, () => 0));
    if (url && status === 200) return url;
    if (Date.now() > deadline) throw new Error(`${name} does not serve:\n${await logs(name)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function chatAnswer(url: string, model: string): Promise<string> {
  const response = await chat(url, model);
  const body = await response.text();
  expect(response.status, body).toBe(200);
  return JSON.parse(body).choices[0].message.content;
}

const benchAnswer = expect.stringMatching(/^This is the benchmark answer from the fake upstream\./);

beforeAll(async () => {
  await createNetwork(network);
  await startFakeUpstream(network, `${network}-upstream`);
});

afterAll(async () => {
  const containers = (await docker(host(), ['ps', '--all', '--quiet', '--filter', `network=${network}`])).split('\n').filter(Boolean);
  if (containers.length > 0) await docker(host(), ['rm', '--force', ...containers]);
  await docker(host(), ['network', 'rm', network]);
  rmSync(dirname(envFile), { recursive: true, force: true });
});

describe('the image', () => {
  it('runs the server as the non-root user node, and its HEALTHCHECK turns healthy', async () => {
    const name = `${network}-health`;
    const url = await runGateway(name);
    expect(await inspect(name, '{{.Config.User}}')).toBe('node');
    // The server process itself, as the host's kernel sees it.
    const pid = await inspect(name, '{{.State.Pid}}');
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toBe('node\0dist/server.js\0');
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Uid:\t1000\t1000\t1000\t1000$/m);
    expect(await docker(host(), ['exec', name, 'id', '-un'])).toBe('node');
    expect(JSON.parse(await inspect(name, '{{json .Config.Healthcheck}}'))).toMatchObject({ Interval: 30e9, Timeout: 3e9, StartPeriod: 10e9, Retries: 3 });
    const waited = await waitForHealth(name, 'healthy', 60_000);
    // Docker runs the first check one interval (30 s) after the start.
    expect(waited).toBeGreaterThan(20_000);
    const health = JSON.parse(await inspect(name, '{{json .State.Health}}'));
    expect(health.FailingStreak).toBe(0);
    expect(health.Log.at(-1).ExitCode).toBe(0);
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
  });

  it('keeps a provider written under the /app/data volume across a restart and a new container', async () => {
    const volume = `${network}-data`;
    await docker(host(), ['volume', 'create', '--label', testLabel, volume]);
    const first = `${network}-data-1`;
    let url = await runGateway(first, ['--volume', `${volume}:/app/data`]);
    await createProvider(url, 'kept-on-the-volume');
    expect(await chatAnswer(url, 'kept-on-the-volume/bench-20-0')).toEqual(benchAnswer);
    // Written by the server, as node, on the volume.
    expect(await docker(host(), ['exec', first, 'find', '/app/data', '-name', 'providers.json', '-user', 'node'])).toBe('/app/data/providers.json');

    await docker(host(), ['restart', first]);
    url = await serving(first);
    expect(await providerNames(url)).toEqual(['kept-on-the-volume']);
    expect(await chatAnswer(url, 'kept-on-the-volume/bench-20-0')).toEqual(benchAnswer);

    // An upgrade: the container replaced by a new one on the same volume (the key still decrypts:
    // the salt is on the volume too).
    await docker(host(), ['rm', '--force', first]);
    url = await runGateway(`${network}-data-2`, ['--volume', `${volume}:/app/data`]);
    expect(await providerNames(url)).toEqual(['kept-on-the-volume']);
    expect(await chatAnswer(url, 'kept-on-the-volume/bench-20-0')).toEqual(benchAnswer);
  });

  it('on SIGTERM lets an open stream finish and exits 0 as soon as it has, well within SHUTDOWN_TIMEOUT_MS', async () => {
    const name = `${network}-drain`;
    const url = await runGateway(name, ['--env', 'SHUTDOWN_TIMEOUT_MS=8000']);
    await createProvider(url, 'draining');
    // 10 chunks 200 ms apart: about 2 s.
    const stream = await openStream(url, 'draining/bench-10-200');
    const signalled = performance.now();
    const stopped = docker(host(), ['stop', '--time', '30', name]).then(() => performance.now() - signalled);
    const events = (await readAll(stream)).text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    // The nine content chunks after the first (read before the signal), then the finish chunk.
    expect(events.filter((event) => event.includes('"delta":{"content"')).length).toBe(9);
    const stopMs = await stopped;
    expect(stopMs).toBeGreaterThan(1_000);
    expect(stopMs).toBeLessThan(4_000);
    expect(await inspect(name, '{{.State.ExitCode}} {{.State.OOMKilled}}')).toBe('0 false');
    expect(await docker(host(), ['logs', name])).toContain('"shutting down"');
  });

  it('on SIGTERM cuts a stream that outlasts SHUTDOWN_TIMEOUT_MS and exits 0 at that limit', async () => {
    const name = `${network}-cut`;
    const shutdownTimeoutMs = 3_000;
    const url = await runGateway(name, ['--env', `SHUTDOWN_TIMEOUT_MS=${shutdownTimeoutMs}`]);
    await createProvider(url, 'cut');
    // 100 chunks a second apart.
    const stream = await openStream(url, 'cut/slow-1000');
    const signalled = performance.now();
    const stopped = docker(host(), ['stop', '--time', '30', name]).then(() => performance.now() - signalled);
    const cut = await readAll(stream);
    expect(cut.text).not.toContain('[DONE]');
    expect(cut.endedAfterMs).toBeGreaterThan(shutdownTimeoutMs - 500);
    const stopMs = await stopped;
    expect(stopMs).toBeGreaterThan(shutdownTimeoutMs - 500);
    expect(stopMs).toBeLessThan(shutdownTimeoutMs + 2_000);
    expect(await inspect(name, '{{.State.ExitCode}} {{.State.OOMKilled}}')).toBe('0 false');
  });
});

/** A streamed chat whose first chunk has arrived. */
async function openStream(url: string, model: string): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const response = await chat(url, model, { stream: true });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  await reader.read();
  return reader;
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<{ text: string; endedAfterMs: number }> {
  const started = performance.now();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // Cut by the server: what arrived is what counts.
  }
  return { text, endedAfterMs: performance.now() - started };
}
