import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';

// A Docker engine of the tests' own: its own data root (kept between runs, so images are cached),
// its own socket and run folder (in a temporary folder), no iptables rules, no default bridge and
// IPv4 forwarding left as the host has it. Nothing on the host's network setup changes; the
// bridges of the tests' networks exist while the engine runs.

const run = promisify(execFile);

/** The client packaged with the engine (docker.io), when there; any other `docker` otherwise. */
export const dockerCli = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';

export const cacheFolder = process.env.CONTAINERS_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'llm-gateway', 'containers');

export interface DockerEngine {
  host: string;
  stop(): Promise<void>;
}

export async function startDockerEngine(): Promise<DockerEngine> {
  await run('sh', ['-c', 'command -v dockerd']).catch(() => {
    throw new Error('dockerd is missing: apt-get install -y docker.io');
  });
  const dataRoot = join(cacheFolder, 'docker');
  const pidFile = join(cacheFolder, 'dockerd.pid');
  mkdirSync(dataRoot, { recursive: true });
  await stopLeftoverEngine(pidFile, dataRoot);
  // Short: containerd's socket lives in here, and a socket path must stay under 108 bytes.
  const runFolder = mkdtempSync(join(tmpdir(), 'llmgw-docker-'));
  const host = `unix://${join(runFolder, 'docker.sock')}`;
  const log = join(runFolder, 'dockerd.log');
  const logFd = openSync(log, 'a');
  const daemon = spawn(
    'dockerd',
    [
      '--data-root', dataRoot,
      '--exec-root', join(runFolder, 'exec'),
      '--pidfile', pidFile,
      '--host', host,
      '--iptables=false',
      '--ip-forward=false',
      '--bridge=none',
      // Apart from any other engine's containers, should a system containerd be running.
      '--containerd-namespace', 'llm-gateway-test',
      '--containerd-plugins-namespace', 'llm-gateway-test-plugins',
    ],
    { stdio: ['ignore', logFd, logFd] },
  );
  const exited = new Promise<number | null>((resolve) => daemon.once('exit', resolve));
  const stop = async () => {
    if (daemon.exitCode === null && daemon.signalCode === null) {
      daemon.kill('SIGTERM');
      const killed = setTimeout(() => daemon.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killed);
    }
    // dockerd leaves its default network namespace mounted in its run folder.
    await unmountUnder(runFolder);
    rmSync(runFolder, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (daemon.exitCode !== null || daemon.signalCode !== null) {
      const tail = readFileSync(log, 'utf8').split('\n').slice(-15).join('\n');
      await stop();
      throw new Error(`dockerd exited while starting:\n${tail}`);
    }
    if (await engineAnswers(host)) return { host, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`dockerd did not answer within 60 s (log: ${log})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function unmountUnder(folder: string): Promise<void> {
  const mountPoints = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((mountPoint) => mountPoint.startsWith(`${folder}/`))
    .sort((a, b) => b.length - a.length);
  for (const mountPoint of mountPoints) await run('umount', [mountPoint]);
}

async function engineAnswers(host: string): Promise<boolean> {
  try {
    return (await engineRequest(host, 'GET', '/_ping')).status === 200;
  } catch {
    return false;
  }
}

/** An engine an earlier run left behind (killed before its teardown) holds the data root: stop it. */
async function stopLeftoverEngine(pidFile: string, dataRoot: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!commandLine.startsWith('dockerd\0') || !commandLine.includes(`\0${dataRoot}\0`)) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 30_000 && existsSync(`/proc/${pid}`); waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
}

/** The docker client against the given engine; rejects with its stderr when it fails. */
export async function docker(host: string, args: string[], options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<string> {
  try {
    const { stdout } = await run(dockerCli, args, { env: { ...process.env, ...options.env, DOCKER_HOST: host }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`docker ${args.join(' ')}: ${failure.stderr?.trim() || failure.message}`);
  }
}

/** One call to the Engine API over its socket (for what the client has no flag for). */
export async function engineRequest(host: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const dispatcher = new Agent({ connect: { socketPath: host.replace(/^unix:\/\//, '') } });
  try {
    const response = await request(`http://docker${path}`, {
      method: method as 'GET',
      dispatcher,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, json: text && response.headers['content-type']?.includes('json') ? JSON.parse(text) : text };
  } finally {
    await dispatcher.close();
  }
}

/** Creates a container from an Engine API body (the client cannot set an exec-form health check). */
export async function createContainer(host: string, name: string, body: Record<string, unknown>): Promise<void> {
  const { status, json } = await engineRequest(host, 'POST', `/containers/create?name=${encodeURIComponent(name)}`, body);
  if (status !== 201) throw new Error(`creating container ${name}: ${status} ${JSON.stringify(json)}`);
}
