import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { listen, type ListenOptions } from '../../src/adapter/node/listen.ts';
import { checkingFetch, createAnswerCheck } from './api-description-check.ts';
import { requestWithHost } from './request-with-host.ts';
import { behaviourEnvironment, CLIENT_TOKEN, type OpenTarget, type Target } from './target.ts';

export interface NodeTarget extends Target {
  dataFolder: string;
}

/** The real Node server on a random loopback port, with its own data folder (or Redis prefix). */
export async function startTarget(
  overrides: Record<string, string | undefined> = {},
  dataFolder?: string,
  listenOverrides: Partial<ListenOptions> = {},
  now?: () => number,
  random?: () => number,
): Promise<NodeTarget> {
  const folder = dataFolder ?? (await mkdtemp(join(tmpdir(), 'gateway-test-')));
  const lines: string[] = [];
  // The node-redis project: the same server with its data in Redis, under a prefix of its own.
  const redisUrl = inject('behaviourRedisUrl');
  const onRedis = redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `behaviour-${crypto.randomUUID()}:` } : {};
  const node = await createNodeApp({
    environment: { ...behaviourEnvironment, PROVIDERS_FILE: join(folder, 'providers.json'), ...onRedis, ...overrides },
    logWrite: (line) => lines.push(line),
    ...(now ? { now } : {}),
    ...(random ? { random } : {}),
  });
  if (redisUrl && node.storage.kind !== 'redis') throw new Error('the node-redis project must run the server on Redis');
  const { server, address } = await listen(node.app, { port: 0, hostname: '127.0.0.1', ...listenOverrides });
  const { port } = address;
  const apiBase = `http://127.0.0.1:${port}/api/v1`;
  // Every answer of this server is held to the API description it serves.
  // The document is read through app.request (no socket, its own rate-limit bucket), so reading it
  // never spends a request of a test that counts them.
  const checkedFetch = checkingFetch(fetch, new URL(apiBase).origin, createAnswerCheck(async () => (await node.app.request('/api/v1/openapi.json')).json()));
  return {
    runtime: 'node',
    apiBase,
    dataFolder: folder,
    upstreamUrl: inject('upstreamUrl'),
    rawFetch: checkedFetch,
    fetchPublicFile: (path) => fetch(`http://127.0.0.1:${port}${path}`),
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${CLIENT_TOKEN}`);
      return checkedFetch(`${apiBase}${path}`, { ...init, headers });
    },
    logs: () => lines,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await node.close();
      if (dataFolder === undefined) await rm(folder, { recursive: true, force: true });
    },
  };
}

export const startBehaviourTarget = () => startTarget();

/** A target whose own rules (circuit breaker, caches, budgets, routes) run on the given clock, and its weighted routes on the given random source. */
export const startClockTarget = (now: () => number, overrides: Record<string, string> = {}, random?: () => number) => startTarget(overrides, undefined, {}, now, random);

/** The default `npm start`: no token, bound to loopback (HOST is left at its default, localhost). */
export async function startOpenTarget(overrides: Record<string, string> = {}): Promise<OpenTarget> {
  const target = await startTarget({ API_AUTH_TOKEN: undefined, ADMIN_TOKEN: undefined, ...overrides });
  const { port } = new URL(target.apiBase);
  return { ...target, host: `127.0.0.1:${port}`, fetchAt: (host, path, init) => requestWithHost(Number(port), host, path, init) };
}
