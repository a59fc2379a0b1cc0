import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { behaviourEnvironment } from './target.ts';

// The Node server as its own process (a script built with buildNodeScript), on a free loopback
// port with the behaviour suite's settings and its data in `folder`: for tests that kill it.

export interface SpawnedServer {
  child: ChildProcess;
  /** http://127.0.0.1:PORT/api/v1, read from its "listening" log line. */
  apiBase: string;
  exited: Promise<void>;
  /** What it wrote to stdout so far (its log lines). */
  output(): string;
}

export interface SpawnOptions {
  /** Added to (or overriding) the behaviour suite's settings. */
  environment?: Record<string, string>;
  /** Before the script (`--import`, ...). */
  nodeArguments?: string[];
}

export async function spawnNodeServer(script: string, folder: string, options: SpawnOptions = {}): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [...(options.nodeArguments ?? []), script], {
    env: { PATH: process.env.PATH, ...behaviourEnvironment, LOG_LEVEL: 'info', PROVIDERS_FILE: join(folder, 'providers.json'), PORT: '0', HOST: '127.0.0.1', ...options.environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const apiBase = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const url = /"url":"(http:\/\/[^"]+\/api\/v1)"/.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', () => reject(new Error(`server exited: ${output}`)));
  });
  return { child, apiBase, exited, output: () => output };
}
