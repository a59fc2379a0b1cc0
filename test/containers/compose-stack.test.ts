import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createContainer, docker } from './support/docker-engine.ts';
import {
  ADMIN_TOKEN,
  API_AUTH_TOKEN,
  FAKE_UPSTREAM_PORT,
  PROVIDER_ENCRYPTION_KEY,
  chat,
  createProvider,
  host,
  inspect,
  logs,
  providerNames,
  publishedUrl,
  repository,
  startFakeUpstream,
  testLabel,
  waitForHealth,
} from './support/containers.ts';
import { translateComposeFile, type TranslatedService } from './support/translate-compose-file.ts';

// docker-compose.yml run as written (support/translate-compose-file.ts reads it the way Compose
// does): two gateways on one Redis with its volume, nginx in front with deploy/nginx.conf. What
// the test adds: the .env an operator writes from .env.example (with ALLOW_PRIVATE_UPSTREAMS, so
// the gateways may call the fake upstream container), the fake upstream, and nginx's port published on
// 127.0.0.1 at a free port instead of 3000 on every interface.

const compose = parse(readFileSync(`${repository}docker-compose.yml`, 'utf8'), { merge: true });
// The .env the file's header asks for: .env.example with the secrets set, and what this test needs.
const settings: Record<string, string> = {
  PROVIDER_ENCRYPTION_KEY,
  API_AUTH_TOKEN,
  ADMIN_TOKEN,
  ALLOW_PRIVATE_UPSTREAMS: `fake-upstream:${FAKE_UPSTREAM_PORT}`,
  // Every request comes from one client (this test, through nginx): the default 100 a minute
  // would answer the steady stream with 429s.
  RATE_LIMIT_MAX_REQUESTS: '100000',
};
const envFile = readFileSync(`${repository}.env.example`, 'utf8')
  .split('\n')
  .map((line) => {
    const key = line.slice(0, line.indexOf('='));
    return Object.hasOwn(settings, key) ? `${key}=${settings[key]}` : line;
  })
  .join('\n');
for (const key of Object.keys(settings)) if (!envFile.includes(`\n${key}=${settings[key]}\n`)) throw new Error(`.env.example has no ${key}= line`);
const stack = translateComposeFile(compose, {
  project: `${compose.name}-test`,
  directory: repository,
  readEnvFile: (path) => (path === '.env' ? envFile : undefined),
  publish: () => ({ HostIp: '127.0.0.1', HostPort: '' }),
  labels: { [testLabel.split('=')[0]!]: testLabel.split('=')[1]! },
});
const service = (name: string) => stack.services.find((candidate) => candidate.name === name)!;
const container = (name: string) => service(name).containerName;

let entry: string;

/** Creates and starts a service's container once what it depends on is started or healthy. */
async function up(translated: TranslatedService): Promise<void> {
  for (const [dependency, condition] of Object.entries(translated.dependsOn)) {
    if (condition === 'service_healthy') await waitForHealth(container(dependency), 'healthy', 90_000);
  }
  await createContainer(host(), translated.containerName, translated.create);
  await docker(host(), ['start', translated.containerName]);
}

/** Runs a request inside a gateway's container, to that gateway alone (they publish no port). */
async function insideGateway(name: string, path: string): Promise<{ status: number; body: any }> {
  const script = `fetch('http://127.0.0.1:3000${path}',{headers:{authorization:'Bearer ${ADMIN_TOKEN}'}}).then(async r=>console.log(JSON.stringify({status:r.status,body:await r.json()})))`;
  return JSON.parse(await docker(host(), ['exec', container(name), 'node', '-e', script]));
}

/** Chat requests through nginx, `concurrency` at a time with `pauseMs` between a client's requests, until stop(). */
function steadyLoad(concurrency: number, pauseMs: number) {
  const outcomes: Array<{ at: number; status: number; ok: boolean; error?: string }> = [];
  let running = true;
  const loop = async () => {
    while (running) {
      const at = performance.now();
      try {
        const response = await chat(entry, 'steady/bench-20-0');
        const body = await response.text();
        outcomes.push({ at, status: response.status, ok: response.status === 200 && body.includes('This is the benchmark answer'), error: response.status === 200 ? undefined : body.slice(0, 200) });
      } catch (error) {
        outcomes.push({ at, status: 0, ok: false, error: String((error as Error).cause ?? error) });
      }
      await sleep(pauseMs);
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    outcomes,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/** How many chat requests a gateway has logged so far. */
async function chatsServedBy(name: string): Promise<number> {
  const log = await docker(host(), ['logs', container(name)]);
  return log.split('\n').filter((line) => line.includes('/api/v1/chat/completions')).length;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  expect(stack.services.map((translated) => translated.name)).toEqual(['redis', 'gateway-1', 'gateway-2', 'proxy']);
  await docker(host(), ['network', 'create', '--label', testLabel, stack.network]);
  for (const volume of stack.volumes) await docker(host(), ['volume', 'create', '--label', testLabel, volume]);
  await startFakeUpstream(stack.network, `${stack.network}-upstream`);
  for (const translated of stack.services) await up(translated);
  entry = await publishedUrl(container('proxy'), '80');
  const deadline = Date.now() + 30_000;
  while ((await fetch(`${entry}/api/v1/health`).then((response) => response.status, () => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error(`nginx does not serve:\n${await logs(container('proxy'))}`);
    await sleep(250);
  }
  await createProvider(entry, 'steady');
}, 240_000);

afterAll(async () => {
  const containers = (await docker(host(), ['ps', '--all', '--quiet', '--filter', `network=${stack.network}`])).split('\n').filter(Boolean);
  if (containers.length > 0) await docker(host(), ['rm', '--force', ...containers]);
  await docker(host(), ['network', 'rm', stack.network]);
  await docker(host(), ['volume', 'rm', ...stack.volumes]);
});

describe('docker-compose.yml', () => {
  it('serves chats through nginx from both gateways, which share one Redis', async () => {
    // Created through nginx, seen by each gateway on its own.
    for (const name of ['gateway-1', 'gateway-2']) {
      const { status, body } = await insideGateway(name, '/api/v1/providers');
      expect(status).toBe(200);
      expect(body.data.map((provider: { name: string }) => provider.name)).toEqual(['steady']);
    }
    const before = [await chatsServedBy('gateway-1'), await chatsServedBy('gateway-2')];
    for (let request = 0; request < 10; request++) {
      const response = await chat(entry, 'steady/bench-20-0');
      expect(response.status).toBe(200);
      expect((await response.json()).choices[0].message.content).toMatch(/^This is the benchmark answer from the fake upstream\./);
    }
    const after = [await chatsServedBy('gateway-1'), await chatsServedBy('gateway-2')];
    expect(after[0]! - before[0]! + after[1]! - before[1]!).toBe(10);
    expect(after[0]! - before[0]!).toBeGreaterThan(0);
    expect(after[1]! - before[1]!).toBeGreaterThan(0);

    // A stream passes through nginx as the upstream sends it, to the end.
    const stream = await chat(entry, 'steady/bench-20-0', { stream: true });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await stream.text()).split('\n\n').filter(Boolean);
    expect(events.filter((event) => event.includes('"delta":{"content"')).length).toBe(20);
    expect(events.at(-1)).toBe('data: [DONE]');
  });

  it('answers every request of a steady stream while one gateway is killed, and takes it back when it starts again', async () => {
    const load = steadyLoad(4, 50);
    await sleep(2_000);
    await docker(host(), ['kill', container('gateway-1')]);
    const killedAt = performance.now();
    await sleep(5_000);
    // `docker kill` counts as a manual stop: restart: unless-stopped leaves it stopped.
    expect(await inspect(container('gateway-1'), '{{.State.Status}} {{.RestartCount}}')).toBe('exited 0');
    await docker(host(), ['start', container('gateway-1')]);
    await waitForHealth(container('gateway-1'), 'healthy', 60_000);
    const servedWhenBack = await chatsServedBy('gateway-1');
    // nginx tries a failed server again after fail_timeout (10 s).
    await sleep(12_000);
    const outcomes = await load.stop();
    const failed = outcomes.filter((outcome) => !outcome.ok);
    expect(failed, JSON.stringify(failed.slice(0, 5))).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.at > killedAt && outcome.at < killedAt + 5_000).length).toBeGreaterThan(20);
    expect(await chatsServedBy('gateway-1')).toBeGreaterThan(servedWhenBack);
  });

  it('loses no provider when Redis restarts, nor when its container is replaced on the same volume', async () => {
    const names = ['kept-1', 'kept-2', 'kept-3'];
    for (const name of names) await createProvider(entry, name);
    const expected = ['steady', ...names].sort();

    await docker(host(), ['restart', container('redis')]);
    await waitForHealth(container('redis'), 'healthy', 60_000);
    expect(await eventually(() => providerNames(entry))).toEqual(expected);

    // As `docker compose up` does after an image change: a new container, the same volume.
    await docker(host(), ['rm', '--force', container('redis')]);
    await up(service('redis'));
    await waitForHealth(container('redis'), 'healthy', 60_000);
    expect(await eventually(() => providerNames(entry))).toEqual(expected);
    for (const name of ['gateway-1', 'gateway-2']) {
      const { body } = await insideGateway(name, '/api/v1/providers');
      expect(body.data.map((provider: { name: string }) => provider.name).sort()).toEqual(expected);
    }
    const response = await chat(entry, 'kept-3/bench-20-0');
    expect(response.status).toBe(200);
  });
});

/** The gateways reconnect to Redis on their own; until then they answer 503. */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}
