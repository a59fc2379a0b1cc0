import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A redis-server of the test's own (Debian's package, which .ci/run installs), on a free loopback
// port, with append-only persistence in a temp folder and no RDB snapshots. Never the system
// service on 6379. It can be stopped and started again on the same port and folder (what
// persistence survives), and frozen with SIGSTOP (a Redis that holds connections but answers
// nothing).

export interface TestRedisServer {
  readonly port: number;
  readonly url: string;
  readonly folder: string;
  /** Stops it (SIGTERM: it flushes the append-only file first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

function launch(port: number, folder: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', folder, '--daemonize', 'no', '--protected-mode', 'yes'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${output}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export async function startRedisServer(): Promise<TestRedisServer> {
  const folder = await mkdtemp(join(tmpdir(), 'gateway-redis-'));
  let port = await freePort();
  let child: ChildProcess | undefined;
  for (let attempt = 0; child === undefined; attempt++) {
    try {
      child = await launch(port, folder);
    } catch (error) {
      // The free port was taken in between: try another.
      if (attempt >= 3) throw error;
      port = await freePort();
    }
  }
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGCONT');
    running.kill('SIGTERM');
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    folder,
    stop,
    async start() {
      child = await launch(port, folder);
    },
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    async close() {
      await stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
