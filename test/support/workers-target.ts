import { env, SELF } from 'cloudflare:test';
import { createWorkerApp } from '../../src/adapter/cloudflare-workers/create-worker-app.ts';
import type { WorkerEnv } from '../../src/adapter/cloudflare-workers/worker-bindings.ts';
import { inject } from 'vitest';
import { checkingFetch, createAnswerCheck } from './api-description-check.ts';
import { CLIENT_TOKEN, type OpenTarget, type Target } from './target.ts';

// The Worker under test inside workerd (the `workers` vitest project), reached through SELF: its
// bindings are behaviourEnvironment plus a Miniflare KV namespace and the rate-limit Durable
// Object (see vitest.config.ts). There is no socket, so the origin below is only a name; requests
// to it go to SELF, anything else to the network (the fake upstream on 127.0.0.1).
//
// logs(): the Worker runs in the same isolate as the tests, and its logger writes through
// console.log, so the lines are collected by wrapping console.log while the target is open.

const GATEWAY_ORIGIN = 'http://gateway.test';

/**
 * A Target whose gateway is `gateway` (SELF, or an app in this isolate); anything else goes to the
 * network. Every answer of the gateway is held to the API description it serves.
 */
function targetAround(gateway: (request: Request) => Promise<Response>, logs: () => string[], close: () => Promise<void>, origin = GATEWAY_ORIGIN): Target {
  const apiBase = `${origin}/api/v1`;
  const uncheckedFetch: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    return new URL(request.url).origin === origin ? gateway(request) : fetch(request);
  };
  const rawFetch = checkingFetch(uncheckedFetch, origin, createAnswerCheck(async () => (await gateway(new Request(`${apiBase}/openapi.json`))).json()));
  return {
    runtime: 'workers',
    apiBase,
    upstreamUrl: inject('upstreamUrl'),
    rawFetch,
    // SELF reaches the Worker itself; in front of it, Workers answers paths outside run_worker_first from the assets.
    fetchPublicFile: (path) => env.ASSETS.fetch(`${origin}${path}`),
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${CLIENT_TOKEN}`);
      return rawFetch(`${apiBase}${path}`, { ...init, headers });
    },
    logs,
    close,
  };
}

export async function startTarget(): Promise<Target> {
  const lines: string[] = [];
  const originalLog = console.log;
  const collect = (...values: unknown[]) => {
    // The gateway's JSON lines are kept (not printed, as on Node); anything else passes through.
    if (typeof values[0] === 'string' && values[0].startsWith('{"time":')) lines.push(values[0]);
    else originalLog.apply(console, values);
  };
  console.log = collect;
  return targetAround((request) => SELF.fetch(request), () => lines, async () => {
    if (console.log === collect) console.log = originalLog;
  });
}

export const startBehaviourTarget = () => startTarget();

/**
 * A target whose own rules (circuit breaker, caches, budgets) run on the given clock: the Worker's
 * app built here from the same bindings (Miniflare's KV and Durable Objects) with that clock, and
 * called in-process, since SELF's clock cannot be moved.
 */
export async function startClockTarget(now: () => number, overrides: Record<string, string> = {}, random?: () => number): Promise<Target> {
  const lines: string[] = [];
  const { app } = await createWorkerApp({ ...(env as WorkerEnv), ...overrides }, { now, logWrite: (line) => lines.push(line), ...(random ? { random } : {}) });
  return targetAround((request) => Promise.resolve(app.fetch(request, env)), () => lines, async () => undefined);
}

/**
 * A Worker that needs no token (ALLOW_UNAUTHENTICATED=true, no API_AUTH_TOKEN): its app built here
 * from the same bindings, reached as `localhost:8787` (wrangler dev's address), or at any host
 * through fetchAt, since a request's Host on Workers is its URL's.
 */
export async function startOpenTarget(overrides: Record<string, string> = {}): Promise<OpenTarget> {
  const lines: string[] = [];
  const open = { ...(env as WorkerEnv), API_AUTH_TOKEN: '', ADMIN_TOKEN: '', ALLOW_UNAUTHENTICATED: 'true', ...overrides };
  const { app } = await createWorkerApp(open, { logWrite: (line) => lines.push(line) });
  const gateway = (request: Request) => Promise.resolve(app.fetch(request, open));
  const host = 'localhost:8787';
  const target = targetAround(gateway, () => lines, async () => undefined, `http://${host}`);
  return { ...target, host, fetchAt: (at, path, init) => gateway(new Request(`http://${at}${path}`, init)) };
}
