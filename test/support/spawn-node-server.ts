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
}

export async function spawnNodeServer(script: string, folder: string): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH, ...behaviourEnvironment, LOG_LEVEL: 'info', PROVIDERS_FILE: join(folder, 'providers.json'), PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const apiBase = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const url = /"url":"(http:\/\/[^"]+\/api\/v1)"/.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', () => reject(new Error(`server exited: ${output}`)));
  });
  return { child, apiBase, exited };
}
