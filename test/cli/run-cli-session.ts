import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { startFakeUpstream } from '../support/fake-upstream/index.ts';
import { spawnNodeServer } from '../support/spawn-node-server.ts';
import { ADMIN_TOKEN, adminHeaders } from '../support/target.ts';
import { upstreamControl } from '../support/upstream-control.ts';
import { codingAgents } from './coding-agents.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import { PROVIDER_KEY, type SessionConfig, type SessionReport } from './session-report.ts';

// One coding-agent session, run inside a network namespace that has only loopback (see
// run-in-netns.sh): the fake upstream, the gateway (its own process, as `npm start` runs it), a
// recording proxy in front of the gateway, and the CLI itself all live in there. The gateway gets
// an openai-protocol provider on the fake upstream and an access key; the CLI gets the task and
// the key; the report (a JSON file) holds everything the test then checks.

const PROVIDER_NAME = 'fake';
const AGENT_TIMEOUT_MS = 90_000;

const config = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as SessionConfig;
const upstream = await startFakeUpstream();
const server = await spawnNodeServer(config.serverScript, config.folder);
let gatewayLog = '';
server.child.stdout!.on('data', (chunk) => (gatewayLog += chunk));
server.child.stderr!.on('data', (chunk) => (gatewayLog += chunk));
const proxy = await startRecordingProxy(server.apiBase);

try {
  const post = async (path: string, body: unknown) => (await fetch(`${server.apiBase}${path}`, { method: 'POST', headers: adminHeaders, body: JSON.stringify(body) })).json();
  await post('/providers', { name: PROVIDER_NAME, baseUrl: `${upstream.url}/openai/v1`, apiKey: PROVIDER_KEY, routingMethod: 'openai' });
  const key = await post('/keys', { name: config.agent });

  const nonce = `nonce-${crypto.randomUUID()}`;
  const work = join(config.folder, 'work');
  const home = join(config.folder, 'home');
  await mkdir(work, { recursive: true });
  await mkdir(home, { recursive: true });
  await writeFile(join(work, 'note.txt'), `${nonce}\n`);

  const command = await codingAgents[config.agent]({
    binFolder: config.binFolder,
    origin: proxy.url,
    key: key.key,
    model: `${PROVIDER_NAME}/shell-task`,
    smallModel: `${PROVIDER_NAME}/gpt-test`,
    home,
    prompt: 'What does note.txt say? Run `cat note.txt` to find out.',
  });
  const started = performance.now();
  const child = spawn(command.executable, command.args, { cwd: work, env: { PATH: process.env.PATH!, ...command.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), AGENT_TIMEOUT_MS);
  const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, killedBy) => resolve([code, killedBy])));
  clearTimeout(timer);
  const durationMs = Math.round(performance.now() - started);

  const usageByKey = await (await fetch(`${server.apiBase}/usage?groupBy=key,model`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
  const report: SessionReport = {
    interfaces: Object.keys(networkInterfaces()),
    nonce,
    providerName: PROVIDER_NAME,
    keyId: key.id,
    keySecret: key.key,
    exitCode,
    signal,
    durationMs,
    stdout,
    stderr,
    exchanges: proxy.exchanges,
    upstreamRequests: await upstreamControl(upstream.url).requests(),
    usageByKey,
    gatewayLog,
  };
  await writeFile(config.reportFile, JSON.stringify(report));
} finally {
  await proxy.close();
  server.child.kill('SIGTERM');
  await server.exited;
  await upstream.close();
}
