import { serve } from '@hono/node-server';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createNodeApp } from '../../src/adapter/node/create-node-app.ts';
import { behaviourEnvironment, CLIENT_TOKEN, type Target } from './target.ts';

export interface NodeTarget extends Target {
  dataFolder: string;
}

/** The real Node server on a random loopback port, with its own data folder. */
export async function startTarget(overrides: Record<string, string | undefined> = {}, dataFolder?: string): Promise<NodeTarget> {
  const folder = dataFolder ?? (await mkdtemp(join(tmpdir(), 'gateway-test-')));
  const lines: string[] = [];
  const node = await createNodeApp({
    environment: { ...behaviourEnvironment, PROVIDERS_FILE: join(folder, 'providers.json'), ...overrides },
    logWrite: (line) => lines.push(line),
  });
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: node.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server)) as Server;
  });
  const { port } = server.address() as AddressInfo;
  const apiBase = `http://127.0.0.1:${port}/api/v1`;
  return {
    runtime: 'node',
    apiBase,
    dataFolder: folder,
    upstreamUrl: inject('upstreamUrl'),
    rawFetch: fetch,
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${CLIENT_TOKEN}`);
      return fetch(`${apiBase}${path}`, { ...init, headers });
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
