import type { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { ConfigError } from '../../config/config-schema.ts';
import { createWorkerApp, WorkerSetupError } from './create-worker-app.ts';
import { SaltSetupError } from './kv-salt.ts';
import type { WorkerEnv } from './worker-bindings.ts';

// The Worker's fetch handler. The app is built on the first request an isolate serves and reused
// for every later one (one PBKDF2 derivation per isolate); a build that fails is retried on the
// next request, so a fixed secret or a restored salt takes effect without redeploying the code.

type ExecutionContext = Parameters<Hono<AppEnv>['fetch']>[2];

export interface WorkerHandler {
  fetch(request: Request, env: WorkerEnv, context?: ExecutionContext): Promise<Response>;
}

export function createWorkerHandler(build: typeof createWorkerApp = createWorkerApp): WorkerHandler {
  let building: Promise<Hono<AppEnv>> | undefined;
  const appFor = (env: WorkerEnv) => {
    building ??= build(env).then(
      ({ app }) => app,
      (error: unknown) => {
        building = undefined;
        throw error;
      },
    );
    return building;
  };
  return {
    async fetch(request, env, context) {
      let app: Hono<AppEnv>;
      try {
        app = await appFor(env);
      } catch (error) {
        return setupFailure(error);
      }
      return app.fetch(request, env, context);
    },
  };
}

/** The operator reads the reason in the logs; a client learns only that the server is misconfigured. */
function setupFailure(error: unknown): Response {
  // These messages name the setting at fault and never echo a value; anything else (a KV outage)
  // is logged by name only, as the core does with unexpected errors.
  const known = error instanceof ConfigError || error instanceof WorkerSetupError || error instanceof SaltSetupError;
  const reason = known ? error.message : error instanceof Error ? error.name : 'unknown';
  console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', message: 'cannot start', reason }));
  return Response.json(
    { error: { code: 'INTERNAL_ERROR', message: 'The gateway is not configured correctly; see the Worker logs' } },
    { status: 500 },
  );
}
