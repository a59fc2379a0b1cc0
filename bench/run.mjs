// The gateway's benchmark: `npm run bench` (full, about seventeen minutes) or `npm run bench -- --quick`
// (about two minutes). See bench/README.md for what each figure means and the targets.
//
// Options:
//   --quick                 short runs, fewer rounds
//   --profile               also run the proxy under --cpu-prof for the 32-connection loads and summarise
//   --load=wrk|autocannon   force a load generator (default: wrk if installed, else autocannon)
//   --fake=own|shared       own: bench/fake-upstream.mjs (default); shared: test/support/fake-upstream, bundled with esbuild
//   --sections=a,b,...      throughput,latency,memory,startup,size,profile (default: all but profile, which needs --profile)
//   --no-build              use dist/server.js as it is
//   --compare=label:dir,... other builds of the gateway (a checkout with dist/server.js built) measured
//                           beside this one, interleaved, each pinned to the proxy's core
//   --scenarios=a,b,...     only these throughput rows (ids below: openai-json-c1, openai-json-c32, ...)
//   --rounds=N --seconds=N  override the mode's rounds and seconds per run
//   --extra=label:script    another proxy script to measure beside the baselines (a probe)
//   --token                 run every gateway with API_AUTH_TOKEN set and send it (the guard's path)
//   --otel=closed-port,receiver  this build again, beside it, with OpenTelemetry traces on: exporting to
//                           a closed loopback port (a collector that is down), or to bench/otlp-sink.mjs
//                           (a collector that takes everything)

import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { findAutocannon, findWrk, runLoad } from './lib/load.mjs';
import { busyFractions, coreTimes, cpuSeconds, freePort, httpRequest, pinSelf, rssBytes, sleep, spawnPinned, stopProcess, waitFor200 } from './lib/proc.mjs';
import { holdStreams, keepAliveAgent, timedStream } from './lib/stream-client.mjs';
import { formatSummary, summarizeProfile } from './summarize-profile.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROXY_CORE = 0;
const LOAD_CORE = 1;

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const found = argv.find((a) => a.startsWith(`--${name}=`));
  return found ? found.slice(name.length + 3) : fallback;
};
const quick = flag('quick');
const sections = new Set(option('sections', 'throughput,latency,memory,startup,size').split(','));
if (flag('profile')) sections.add('profile');
const mode = quick
  ? { name: 'quick', seconds: 3, warmupSeconds: 1, rounds: 2, latencyStreams: 2, startupRuns: 5, holdSeconds: 3, profileSeconds: 5 }
  : { name: 'full', seconds: 10, warmupSeconds: 2, rounds: 5, latencyStreams: 8, startupRuns: 10, holdSeconds: 5, profileSeconds: 10 };
// --rounds=N and --seconds=N override the mode's, for a quicker or steadier loop.
if (option('rounds', '')) mode.rounds = Number(option('rounds', ''));
if (option('seconds', '')) mode.seconds = Number(option('seconds', ''));
const MEMORY_STREAMS = 1000;
const AUTH_TOKEN = flag('token') ? 'bench-api-token-0123456789abcdef' : undefined;
const AUTH_HEADERS = AUTH_TOKEN ? { authorization: `Bearer ${AUTH_TOKEN}` } : {};
// Other builds of the gateway to measure beside this one (before/after a change), as label:dir.
const COMPARE = option('compare', '')
  .split(',')
  .filter((entry) => entry.length > 0)
  .map((entry) => {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new Error(`--compare wants label:dir, got ${entry}`);
    const dir = resolve(entry.slice(colon + 1));
    if (!existsSync(join(dir, 'dist', 'server.js'))) throw new Error(`--compare: ${dir}/dist/server.js is missing (run npm ci && npm run build there)`);
    return { name: entry.slice(0, colon), dir };
  });
// --otel: this very build, measured as one more compared build with traces exported.
const OTEL_TARGETS = ['closed-port', 'receiver'];
for (const target of option('otel', '').split(',').filter((entry) => entry.length > 0)) {
  if (!OTEL_TARGETS.includes(target)) throw new Error(`--otel wants ${OTEL_TARGETS.join(' or ')}, got ${target}`);
  COMPARE.push({ name: `otel-${target}`, dir: ROOT, otel: target });
}
const LOG_LEVEL = 'warn';

const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

// ---------------------------------------------------------------------------------------------
// Small statistics

const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const round = (n, digits = 2) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

// ---------------------------------------------------------------------------------------------
// Children we started, so a failure or Ctrl-C never leaves one behind.

const children = new Set();
function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
function killChildren() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
process.on('SIGINT', () => {
  killChildren();
  process.exit(130);
});

// ---------------------------------------------------------------------------------------------
// The fake upstream

async function startUpstream(tmp, which) {
  let script = join(ROOT, 'bench', 'fake-upstream.mjs');
  let args = ['--port', '0'];
  if (which === 'shared') {
    const entry = join(tmp, 'shared-fake-entry.ts');
    writeFileSync(
      entry,
      `import { startFakeUpstream } from ${JSON.stringify(join(ROOT, 'test/support/fake-upstream/index.ts'))};
const upstream = await startFakeUpstream({ port: 0, record: false });
process.stdout.write(JSON.stringify({ port: upstream.port }) + '\\n');
const stop = () => Promise.resolve(upstream.close()).then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
`,
    );
    script = join(tmp, 'shared-fake-upstream.mjs');
    const { build } = await import('esbuild');
    await build({ entryPoints: [entry], outfile: script, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
    args = [];
  }
  const child = track(spawnPinned(LOAD_CORE, process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const port = await new Promise((resolvePort, reject) => {
    let text = '';
    child.stdout.on('data', (part) => {
      text += part;
      const line = text.split('\n').find((l) => l.startsWith('{'));
      if (line) resolvePort(JSON.parse(line).port);
    });
    child.once('exit', (code) => reject(new Error(`fake upstream exited (${code})`)));
  });
  child.stdout.resume();
  return { child, port, pid: child.pid, script: which === 'shared' ? 'test/support/fake-upstream (bundled with esbuild)' : 'bench/fake-upstream.mjs' };
}

/**
 * Upstream streams still in progress. bench/fake-upstream.mjs counts them exactly; the shared
 * test upstream only reports open sockets, including the control request's own (hence − 1) and
 * idle keep-alive ones, so with it this can read above 0 without a leak.
 */
const openStreams = (c) => c.streamsOpen ?? Math.max(0, c.open - 1);
const openSlowSockets = (c) => c.slowSocketsOpen ?? Math.max(0, c.open - 1);

async function upstreamConnections(port) {
  const { status, text } = await httpRequest(port, '/__control/connections');
  if (status !== 200) throw new Error(`/__control/connections answered ${status}`);
  return JSON.parse(text);
}

// ---------------------------------------------------------------------------------------------
// The proxy: the real Node server, dist/server.js, configured through its environment

function proxyEnvironment(dataDir, port) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PROVIDERS_FILE: join(dataDir, 'providers.json'),
    PROVIDER_ENCRYPTION_KEY: 'bench-encryption-key-0123456789abcdef0123456789',
    ALLOW_PRIVATE_UPSTREAMS: 'true',
    LOG_LEVEL,
    RATE_LIMIT_WINDOW_MS: '1000',
    RATE_LIMIT_MAX_REQUESTS: '1000000',
    OUTBOUND_RATE_LIMIT_MAX_REQUESTS: '1000000',
    ...(AUTH_TOKEN ? { API_AUTH_TOKEN: AUTH_TOKEN } : {}),
  };
}

let proxyLogCount = 0;
/** A gateway build: dir is a checkout with dist/server.js (this one by default). */
async function startProxy(tmp, dataDir, { nodeArgs = [], dir = ROOT, environment = {} } = {}) {
  const port = await freePort();
  const logFile = join(tmp, `proxy-${++proxyLogCount}.log`);
  const out = createWriteStream(logFile);
  const spawnedAt = performance.now();
  const child = track(
    spawnPinned(PROXY_CORE, process.execPath, [...nodeArgs, join(dir, 'dist', 'server.js')], {
      cwd: tmp,
      env: { ...proxyEnvironment(dataDir, port), ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const readyAt = await waitFor200(port, '/api/v1/health', child).catch((error) => {
    throw new Error(`${error.message}; log ${logFile}:\n${safeRead(logFile)}`);
  });
  return { child, port, pid: child.pid, logFile, startupMs: readyAt - spawnedAt };
}

const safeRead = (file) => {
  try {
    return readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '';
  }
};

/** What the proxy logged (LOG_LEVEL=warn: only warnings and errors): a count per message and error, and a few lines. */
function proxyWarnings(logFile) {
  let lines = [];
  try {
    lines = readFileSync(logFile, 'utf8').split('\n').filter((line) => line.trim().length > 0);
  } catch {
    // no log
  }
  const counts = {};
  for (const line of lines) {
    let key = line.slice(0, 120);
    try {
      const entry = JSON.parse(line);
      key = [entry.level, entry.message, entry.error ?? entry.code, entry.status].filter((x) => x !== undefined).join(' ');
    } catch {
      // not JSON
    }
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return { lines: lines.length, counts, first: lines.slice(0, 5) };
}

async function createProviders(proxyPort, upstreamPort) {
  const created = {};
  for (const [name, routingMethod, path] of [
    ['bench-openai', 'openai', '/openai/v1'],
    ['bench-anthropic', 'anthropic', '/anthropic'],
  ]) {
    const { status, text } = await httpRequest(proxyPort, '/api/v1/providers', {
      method: 'POST',
      headers: AUTH_HEADERS,
      body: { name, baseUrl: `http://127.0.0.1:${upstreamPort}${path}`, apiKey: `sk-bench-${routingMethod}-0123456789abcdef`, routingMethod },
    });
    if (status !== 201) throw new Error(`creating provider ${name}: ${status} ${text}`);
    created[name] = JSON.parse(text);
  }
  return created;
}

// ---------------------------------------------------------------------------------------------
// Request bodies

const SYSTEM = 'You are a helpful assistant. Answer briefly.';
const USER = 'Say something short about benchmarks and why they should be interleaved.';
const openaiBody = (model, stream) => ({
  model,
  messages: [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: USER },
  ],
  stream,
  temperature: 0.7,
});
const anthropicBody = (model, stream) => ({
  model,
  max_tokens: 4096,
  system: SYSTEM,
  messages: [{ role: 'user', content: [{ type: 'text', text: USER }] }],
  stream,
  temperature: 0.7,
});

// What the proxy sends upstream; bench/fake-upstream.mjs ignores them, test/support/fake-upstream checks them.
const OPENAI_HEADERS = { authorization: 'Bearer sk-bench-openai-0123456789abcdef' };
const ANTHROPIC_HEADERS = { 'x-api-key': 'sk-bench-anthropic-0123456789abcdef', 'anthropic-version': '2023-06-01' };
const OPENAI_CHAT = '/openai/v1/chat/completions';
const ANTHROPIC_CHAT = '/anthropic/v1/messages';
const PROXY_CHAT = '/api/v1/chat/completions';

const allScenarios = [
  {
    id: 'openai-json-c1',
    label: 'non-streamed, 1 connection',
    connections: 1,
    direct: { path: OPENAI_CHAT, body: openaiBody('bench-20-0', false), headers: OPENAI_HEADERS },
    proxy: { path: PROXY_CHAT, headers: AUTH_HEADERS, body: openaiBody('bench-openai/bench-20-0', false) },
  },
  {
    id: 'openai-json-c32',
    label: 'non-streamed, 32 connections',
    connections: 32,
    baselines: true,
    direct: { path: OPENAI_CHAT, body: openaiBody('bench-20-0', false), headers: OPENAI_HEADERS },
    proxy: { path: PROXY_CHAT, headers: AUTH_HEADERS, body: openaiBody('bench-openai/bench-20-0', false) },
  },
  {
    id: 'openai-sse-c32',
    label: 'streamed 20 chunks, 32 connections',
    connections: 32,
    baselines: true,
    direct: { path: OPENAI_CHAT, body: openaiBody('bench-20-0', true), headers: OPENAI_HEADERS },
    proxy: { path: PROXY_CHAT, headers: AUTH_HEADERS, body: openaiBody('bench-openai/bench-20-0', true) },
  },
  {
    id: 'anthropic-json-c32',
    label: 'Anthropic path, non-streamed, 32 connections',
    connections: 32,
    direct: { path: ANTHROPIC_CHAT, body: anthropicBody('bench-20-0', false), headers: ANTHROPIC_HEADERS },
    proxy: { path: PROXY_CHAT, headers: AUTH_HEADERS, body: openaiBody('bench-anthropic/bench-20-0', false) },
    openaiPeer: 'openai-json-c32',
  },
  {
    id: 'anthropic-sse-c32',
    label: 'Anthropic path, streamed 20 chunks, 32 connections',
    connections: 32,
    direct: { path: ANTHROPIC_CHAT, body: anthropicBody('bench-20-0', true), headers: ANTHROPIC_HEADERS },
    proxy: { path: PROXY_CHAT, headers: AUTH_HEADERS, body: openaiBody('bench-anthropic/bench-20-0', true) },
    openaiPeer: 'openai-sse-c32',
  },
];

// --scenarios=a,b keeps only those throughput rows (a quicker loop while working on one path).
const onlyScenarios = option('scenarios', '');
const scenarios = onlyScenarios ? allScenarios.filter((s) => onlyScenarios.split(',').includes(s.id)) : allScenarios;

// ---------------------------------------------------------------------------------------------
// Correctness probes: numbers from a proxy that answers errors would mean nothing.

async function probe(proxyPort) {
  const problems = [];
  for (const provider of ['bench-openai', 'bench-anthropic']) {
    const json = await httpRequest(proxyPort, PROXY_CHAT, { method: 'POST', headers: AUTH_HEADERS, body: openaiBody(`${provider}/bench-20-0`, false) });
    let ok = json.status === 200;
    try {
      ok = ok && typeof JSON.parse(json.text).choices[0].message.content === 'string';
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`${provider} non-streamed: ${json.status} ${json.text.slice(0, 300)}`);
    const sse = await httpRequest(proxyPort, PROXY_CHAT, { method: 'POST', headers: AUTH_HEADERS, body: openaiBody(`${provider}/bench-20-0`, true) });
    const contents = [...sse.text.matchAll(/"content":"(\d[\d.]*)"/g)].length;
    if (sse.status !== 200 || contents !== 20 || !sse.text.includes('data: [DONE]')) {
      problems.push(`${provider} streamed: ${sse.status}, ${contents} content chunks, [DONE] ${sse.text.includes('data: [DONE]')}: ${sse.text.slice(0, 300)}`);
    }
  }
  if (problems.length > 0) throw new Error(`the proxy does not answer correctly:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------
// Sections

// ---------------------------------------------------------------------------------------------
// The other proxies measured beside the gateway, on the proxy's core, under the same loads

/**
 * The baselines: a plain node:http proxy (the target is a multiple of its CPU per request) and
 * bare Hono on @hono/node-server with undici (what the framework and its Node adapter cost alone).
 */
const BASELINES = [
  { name: 'plain', label: 'plain node:http proxy (bench/plain-node-proxy.mjs)', script: 'plain-node-proxy.mjs' },
  { name: 'reference', label: 'bare Hono + undici (bench/reference-proxy.mjs)', script: 'reference-proxy.mjs' },
];

// --extra=label:script.mjs,... adds proxies of your own (same arguments: upstream port, listen port), for probes.
for (const entry of option('extra', '').split(',').filter((e) => e.length > 0)) {
  const colon = entry.indexOf(':');
  BASELINES.push({ name: entry.slice(0, colon), label: entry.slice(0, colon), script: resolve(entry.slice(colon + 1)) });
}

async function startBaseline(baseline, upstream) {
  const port = await freePort();
  const child = track(
    spawnPinned(PROXY_CORE, process.execPath, [resolve(ROOT, 'bench', baseline.script), String(upstream.port), String(port)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  await waitFor200(port, '/api/v1/health', child);
  return { ...baseline, port, pid: child.pid, child, kind: 'baseline' };
}

/**
 * What an --otel build adds to the proxy's environment: an OTLP endpoint on a loopback port that
 * nothing listens on (freePort closes its probe), or the sink's (one per run, on the load core).
 */
async function otelEnvironment(ctx, build) {
  if (build.otel === undefined) return {};
  if (build.otel === 'closed-port') return { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}` };
  if (!ctx.otlpSink) {
    const port = await freePort();
    const child = track(spawnPinned(LOAD_CORE, process.execPath, [join(ROOT, 'bench', 'otlp-sink.mjs'), String(port)], { stdio: ['ignore', 'ignore', 'inherit'] }));
    await waitFor200(port, '/health', child);
    ctx.otlpSink = { port, child };
  }
  return { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ctx.otlpSink.port}` };
}

/** Each --compare build: a gateway of its own, with its own data folder and the same two providers. */
async function startCompared(ctx) {
  const compared = [];
  for (const build of COMPARE) {
    const dataDir = join(ctx.tmp, `data-${build.name}`);
    const proxy = await startProxy(ctx.tmp, dataDir, { dir: build.dir, environment: await otelEnvironment(ctx, build) });
    await createProviders(proxy.port, ctx.upstream.port);
    await probe(proxy.port);
    log(`compared build ${build.name} (${build.dir}): pid ${proxy.pid} on 127.0.0.1:${proxy.port}, probed`);
    compared.push({ ...build, ...proxy, dataDir, label: `gateway, ${build.name}`, kind: 'gateway' });
  }
  return compared;
}

/** The sides of one scenario besides direct and this gateway. */
const othersOf = (ctx, scenario) => [...ctx.compared, ...(scenario.baselines ? ctx.baselines : [])];

async function throughput(ctx) {
  const { tool, tmp, upstream, proxy } = ctx;
  const sidesOf = (scenario) => ['direct', 'proxy', ...othersOf(ctx, scenario).map((o) => o.name)];
  const byName = Object.fromEntries([...ctx.compared, ...ctx.baselines].map((o) => [o.name, o]));
  const portOf = (side) => (side === 'direct' ? upstream.port : side === 'proxy' ? proxy.port : byName[side].port);
  const pidOf = (side) => (side === 'proxy' ? proxy.pid : byName[side].pid);
  const target = (side, scenario) => {
    const request = side === 'direct' ? scenario.direct : scenario.proxy;
    return { url: `http://127.0.0.1:${portOf(side)}${request.path}`, body: JSON.stringify(request.body), headers: request.headers };
  };
  log(`warm-up: ${mode.warmupSeconds} s per scenario and side`);
  for (const scenario of scenarios) {
    for (const side of sidesOf(scenario)) {
      await runLoad({ tool, tmp, core: LOAD_CORE, ...target(side, scenario), connections: scenario.connections, seconds: mode.warmupSeconds });
    }
  }
  const runs = Object.fromEntries(scenarios.map((s) => [s.id, Object.fromEntries(sidesOf(s).map((side) => [side, []]))]));
  for (let r = 0; r < mode.rounds; r++) {
    for (const scenario of scenarios) {
      for (const side of sidesOf(scenario)) {
        const measuredPid = side === 'direct' ? proxy.pid : pidOf(side);
        const upstreamCpu0 = cpuSeconds(upstream.pid);
        const proxyCpu0 = cpuSeconds(measuredPid);
        const cores0 = coreTimes();
        const wall0 = performance.now();
        const result = await runLoad({ tool, tmp, core: LOAD_CORE, ...target(side, scenario), connections: scenario.connections, seconds: mode.seconds });
        const wallSeconds = (performance.now() - wall0) / 1000;
        const busy = busyFractions(cores0, coreTimes());
        const proxyCpu = cpuSeconds(measuredPid) - proxyCpu0;
        // What the proxy's core did besides the measured proxy (other processes; some kernel network work).
        result.proxyCoreOtherBusy = Math.max(0, busy[PROXY_CORE] - proxyCpu / wallSeconds);
        result.loadCoreBusy = busy[LOAD_CORE];
        const upstreamCpu = cpuSeconds(upstream.pid) - upstreamCpu0;
        const good = Math.max(1, result.requests - result.errors);
        if (side !== 'direct') result.proxyCpuUsPerRequest = (proxyCpu * 1e6) / good;
        result.upstreamCpuUsPerRequest = (upstreamCpu * 1e6) / good;
        runs[scenario.id][side].push(result);
        log(
          `round ${r + 1}/${mode.rounds} ${scenario.id} ${side}: ${result.rps.toFixed(0)} req/s, p50 ${(result.p50Us / 1000).toFixed(2)} ms, p99 ${(result.p99Us / 1000).toFixed(2)} ms` +
            (side !== 'direct' ? `, CPU ${result.proxyCpuUsPerRequest.toFixed(0)} µs/req` : '') +
            `; core ${PROXY_CORE} busy besides it ${(result.proxyCoreOtherBusy * 100).toFixed(0)}%` +
            (result.errors ? `, ERRORS ${JSON.stringify(result.errorDetail)}` : ''),
        );
      }
    }
  }
  const summarize = (list) => ({
    rps: median(list.map((x) => x.rps)),
    p50Ms: median(list.map((x) => x.p50Us / 1000)),
    p99Ms: median(list.map((x) => x.p99Us / 1000)),
    errors: list.reduce((sum, x) => sum + x.errors, 0),
    requests: list.reduce((sum, x) => sum + x.requests, 0),
    upstreamCpuUsPerRequest: median(list.map((x) => x.upstreamCpuUsPerRequest)),
    proxyCoreOtherBusy: median(list.map((x) => x.proxyCoreOtherBusy)),
    cpuUsPerRequest: median(list.map((x) => x.proxyCpuUsPerRequest)),
  });
  const rows = {};
  for (const scenario of scenarios) {
    const sideRuns = runs[scenario.id];
    const direct = summarize(sideRuns.direct);
    const sideRow = (side) => {
      const measured = summarize(sideRuns[side]);
      return {
        ...measured,
        ratio: measured.rps / direct.rps,
        // Per round, against the same round's direct and plain runs (each ran next to the other).
        roundRatios: sideRuns[side].map((p, i) => p.rps / sideRuns.direct[i].rps),
        roundCpuVersusPlain: sideRuns.plain ? sideRuns[side].map((p, i) => p.proxyCpuUsPerRequest / sideRuns.plain[i].proxyCpuUsPerRequest) : undefined,
      };
    };
    const proxied = sideRow('proxy');
    const others = Object.fromEntries(othersOf(ctx, scenario).map((o) => [o.name, { label: o.label, kind: o.kind, ...sideRow(o.name) }]));
    const plain = others.plain;
    const versusPlain = (row) => (plain ? row.cpuUsPerRequest / plain.cpuUsPerRequest : undefined);
    proxied.cpuVersusPlain = versusPlain(proxied);
    for (const other of Object.values(others)) other.cpuVersusPlain = versusPlain(other);
    rows[scenario.id] = { label: scenario.label, connections: scenario.connections, direct, proxy: proxied, ratio: proxied.ratio, others, runs: sideRuns };
  }
  for (const scenario of scenarios) {
    if (!scenario.openaiPeer) continue;
    const row = rows[scenario.id];
    const peer = rows[scenario.openaiPeer];
    if (!peer) continue;
    row.ratioToOpenAI = row.proxy.rps / peer.proxy.rps;
    for (const [name, other] of Object.entries(row.others)) if (peer.others[name]) other.ratioToOpenAI = other.rps / peer.others[name].rps;
  }
  return rows;
}

async function latency(ctx) {
  const { upstream, proxy } = ctx;
  const model = 'bench-50-50';
  const proxySide = (port) => ({ port, path: PROXY_CHAT, body: openaiBody(`bench-openai/${model}`, true), headers: AUTH_HEADERS, agent: keepAliveAgent() });
  const sides = {
    direct: { port: upstream.port, path: OPENAI_CHAT, body: openaiBody(model, true), headers: OPENAI_HEADERS, agent: keepAliveAgent() },
    proxy: proxySide(proxy.port),
    // The plain proxy and the bare Hono pass-through: the same hop with nothing done to the bytes.
    ...Object.fromEntries([...ctx.compared, ...ctx.baselines].map((o) => [o.name, proxySide(o.port)])),
  };
  const names = Object.keys(sides);
  // Warm the connections and let the JIT compile the streaming path: a few hundred short streams on each side first.
  for (const side of Object.values(sides)) {
    for (let i = 0; i < 300; i++) await timedStream({ ...side, body: { ...side.body, model: side.body.model.replace(model, 'bench-5-0') } });
  }
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < mode.latencyStreams; i++) {
    for (const name of names) {
      const result = await timedStream(sides[name]);
      if (!result.done || result.delaysMs.length !== 50) throw new Error(`latency stream (${name}) incomplete: ${result.delaysMs.length} chunks, done=${result.done}`);
      results[name].push(result);
    }
    log(`latency stream ${i + 1}/${mode.latencyStreams}: TTFT ${names.map((name) => `${name} ${results[name].at(-1).ttftMs.toFixed(2)} ms`).join(', ')}`);
  }
  for (const side of Object.values(sides)) side.agent.destroy();
  const summarize = (list) => {
    const delays = list.flatMap((r) => r.delaysMs);
    return {
      streams: list.length,
      ttfbMs: median(list.map((r) => r.ttfbMs)),
      ttftMs: median(list.map((r) => r.ttftMs)),
      chunkDelayMs: { count: delays.length, p50: percentile(delays, 50), p99: percentile(delays, 99), max: Math.max(...delays) },
    };
  };
  const summary = Object.fromEntries(names.map((name) => [name, summarize(results[name])]));
  const labels = Object.fromEntries([...ctx.compared, ...ctx.baselines].map((o) => [o.name, o.label]));
  return {
    model,
    sides: names,
    labels,
    ...summary,
    ttftAddedMs: summary.proxy.ttftMs - summary.direct.ttftMs,
    ttfbAddedMs: summary.proxy.ttfbMs - summary.direct.ttfbMs,
  };
}

/** Memory per 1,000 open streams, for each gateway build and the plain proxy, each started fresh. */
async function memory(ctx) {
  const subjects = [
    { name: 'proxy', label: 'gateway', start: () => startProxy(ctx.tmp, ctx.dataDir) },
    ...COMPARE.map((build) => ({ name: build.name, label: `gateway, ${build.name}`, start: async () => startProxy(ctx.tmp, join(ctx.tmp, `data-${build.name}`), { dir: build.dir, environment: await otelEnvironment(ctx, build) }) })),
    { name: 'plain', label: BASELINES[0].label, start: () => startBaseline(BASELINES[0], ctx.upstream) },
  ];
  const results = {};
  for (const subject of subjects) results[subject.name] = { label: subject.label, ...(await memoryOf(ctx, subject)) };
  return { ...results.proxy, subjects: results };
}

async function memoryOf(ctx, subject) {
  const { tool, tmp, upstream } = ctx;
  log(`memory (${subject.label}): fresh process, light warm-up, then idle RSS`);
  const proxy = await subject.start();
  try {
    for (const [path, body] of [
      [PROXY_CHAT, openaiBody('bench-openai/bench-20-0', true)],
      [PROXY_CHAT, openaiBody('bench-openai/bench-20-0', false)],
    ]) {
      await runLoad({ tool, tmp, core: LOAD_CORE, url: `http://127.0.0.1:${proxy.port}${path}`, body: JSON.stringify(body), headers: AUTH_HEADERS, connections: 8, seconds: 1 });
    }
    await sleep(2000);
    const sampleRss = async (count) => {
      const samples = [];
      for (let i = 0; i < count; i++) {
        samples.push(rssBytes(proxy.pid));
        await sleep(200);
      }
      return samples;
    };
    const idle = median(await sampleRss(3));
    const before = await upstreamConnections(upstream.port);
    log(`memory (${subject.label}): opening ${MEMORY_STREAMS} slow streams (one chunk a second)`);
    const opened = performance.now();
    const held = await holdStreams({ port: proxy.port, path: PROXY_CHAT, body: openaiBody('bench-openai/slow-1000', true), headers: AUTH_HEADERS, count: MEMORY_STREAMS });
    const openSeconds = (performance.now() - opened) / 1000;
    await sleep(mode.holdSeconds * 1000);
    const loadedSamples = await sampleRss(5);
    const loaded = median(loadedSamples);
    const during = await upstreamConnections(upstream.port);
    log(`memory (${subject.label}): ${held.opened} streams open (${held.failed} failed), RSS ${(idle / 2 ** 20).toFixed(1)} → ${(loaded / 2 ** 20).toFixed(1)} MiB; aborting all clients`);
    held.abortAll();
    await sleep(2000);
    const after = await upstreamConnections(upstream.port);
    // Not the target, but tells a slow clean-up from a leak: how long until none is left (15 s at most).
    const abortedAt = performance.now() - 2000;
    let last = after;
    while (openStreams(last) > 0 && performance.now() - abortedAt < 15_000) {
      await sleep(250);
      last = await upstreamConnections(upstream.port);
    }
    const secondsUntilNoUpstreamStream = openStreams(last) === 0 ? (performance.now() - abortedAt) / 1000 : null;
    const rssAfterAbort = rssBytes(proxy.pid);
    const stop = await stopProcess(proxy.child, 'SIGTERM');
    const aboveIdle = loaded - idle;
    return {
      streamsRequested: MEMORY_STREAMS,
      streamsOpen: held.opened,
      streamsFailed: held.failed,
      openSeconds,
      idleRssMiB: idle / 2 ** 20,
      loadedRssMiB: loaded / 2 ** 20,
      loadedRssMaxMiB: Math.max(...loadedSamples) / 2 ** 20,
      rssAfterAbortMiB: rssAfterAbort / 2 ** 20,
      aboveIdleMiB: aboveIdle / 2 ** 20,
      perThousandStreamsMiB: held.opened > 0 ? ((aboveIdle / held.opened) * 1000) / 2 ** 20 : NaN,
      upstreamBefore: before,
      upstreamDuring: during,
      upstreamTwoSecondsAfterAbort: after,
      upstreamStreamsOpenAfterAbort: openStreams(after),
      secondsUntilNoUpstreamStream,
      upstreamStreamsOpenAt15s: secondsUntilNoUpstreamStream === null ? openStreams(last) : 0,
      upstreamSlowConnectionsOpenAfterAbort: openSlowSockets(after),
      proxyStop: stop,
      proxyLog: proxy.logFile ? proxyWarnings(proxy.logFile) : undefined,
    };
  } finally {
    if (proxy.child.exitCode === null) await stopProcess(proxy.child, 'SIGTERM');
  }
}

async function startup(ctx) {
  const { tmp, dataDir } = ctx;
  const proxyTimes = [];
  const bareTimes = [];
  const stops = [];
  const bareScript = "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1'); process.on('SIGTERM', () => process.exit(0));";
  for (let i = 0; i < mode.startupRuns; i++) {
    const proxy = await startProxy(tmp, dataDir);
    proxyTimes.push(proxy.startupMs);
    stops.push(await stopProcess(proxy.child, 'SIGTERM'));
    const port = await freePort();
    const spawnedAt = performance.now();
    const bare = track(spawnPinned(PROXY_CORE, process.execPath, ['-e', bareScript], { env: { PORT: String(port), PATH: process.env.PATH }, stdio: 'ignore' }));
    bareTimes.push((await waitFor200(port, '/api/v1/health', bare)) - spawnedAt);
    await stopProcess(bare, 'SIGTERM');
  }
  log(`start-up: proxy median ${median(proxyTimes).toFixed(0)} ms, bare node:http median ${median(bareTimes).toFixed(0)} ms`);
  return {
    runs: mode.startupRuns,
    proxyMs: median(proxyTimes),
    proxyAllMs: proxyTimes.map((t) => round(t, 1)),
    bareNodeHttpMs: median(bareTimes),
    bareAllMs: bareTimes.map((t) => round(t, 1)),
    sigtermExits: stops.map((s) => ({ code: s.code, signal: s.signal, ms: round(s.ms, 1), forced: s.forced })),
  };
}

async function workerSize(ctx) {
  const sizeScript = join(ROOT, 'scripts', 'size.mjs');
  if (existsSync(sizeScript)) {
    const result = spawnSync(process.execPath, [sizeScript], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    const parsed = parseSizeOutput(result.stdout ?? '');
    return { source: 'scripts/size.mjs', exitCode: result.status, output: output.slice(-3000), ...parsed };
  }
  if (existsSync(join(ROOT, 'wrangler.toml'))) {
    const outdir = join(ctx.tmp, 'worker-bundle');
    const result = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], { cwd: ROOT, encoding: 'utf8', timeout: 180_000, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
    if (result.status !== 0) return { source: 'wrangler deploy --dry-run', available: false, output: `${result.stdout}${result.stderr}`.slice(-3000) };
    const files = listFiles(outdir).filter((f) => /\.(m?js|wasm)$/.test(f));
    let bytes = 0;
    let gzipBytes = 0;
    for (const file of files) {
      const content = readFileSync(file);
      bytes += content.length;
      gzipBytes += gzipSync(content, { level: 9 }).length;
    }
    return { source: 'wrangler deploy --dry-run, gzip -9 with node:zlib', available: true, files: files.map((f) => f.slice(outdir.length + 1)), bytes, gzipBytes };
  }
  return { source: 'none', available: false };
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/**
 * scripts/size.mjs is a colleague's: accept JSON with byte counts, or text like "123.4 KiB gzip".
 * It prints the client's and the console's sizes too: only its "Worker bundle" line is the Worker's.
 */
function parseSizeOutput(stdout) {
  const text = stdout.split('\n').find((line) => /^Worker bundle/i.test(line))?.trim() ?? stdout.trim();
  for (const candidate of [text, text.split('\n').at(-1) ?? '']) {
    try {
      const json = JSON.parse(candidate);
      const find = (object, pattern) => {
        for (const [key, value] of Object.entries(object ?? {})) {
          if (typeof value === 'number' && pattern.test(key)) return value;
          if (typeof value === 'object' && value !== null) {
            const inner = find(value, pattern);
            if (inner !== undefined) return inner;
          }
        }
        return undefined;
      };
      const gzipBytes = find(json, /gzip/i);
      const bytes = find(json, /^(bytes|size|raw|rawBytes|minified)/i);
      if (gzipBytes !== undefined) return { available: true, bytes, gzipBytes };
    } catch {
      // not JSON
    }
  }
  const toBytes = (value, unit) => Number(value.replace(/,/g, '')) * ({ b: 1, bytes: 1, kb: 1000, kib: 1024, mb: 1e6, mib: 2 ** 20 }[unit.toLowerCase()] ?? 1);
  const units = '(KiB|kB|KB|MiB|MB|bytes|B)\\b';
  const gzipAfter = new RegExp(`gzip\\w*\\s*:?\\s*([\\d.,]+)\\s*${units}`, 'i').exec(text);
  const gzipBefore = new RegExp(`([\\d.,]+)\\s*${units}[^\\d\\n]*gzip`, 'i').exec(text);
  const raw = new RegExp(`([\\d.,]+)\\s*${units}`).exec(text);
  const gz = gzipAfter ?? gzipBefore;
  if (gz) return { available: true, gzipBytes: toBytes(gz[1], gz[2]), bytes: raw && raw.index !== gz.index ? toBytes(raw[1], raw[2]) : undefined };
  return { available: false };
}

// Work that is per request and avoidable or replaceable: listed with their inclusive time, and
// for the first two, which caller made them happen.
const PROFILE_MATCH =
  '^(newRequestFromIncoming|Response2|_Response|createAbortSignal|decryptKey|randomUUID|toWeb|newStreamReadableFromReadable|request|safeParse|stringify|parse|writev|writeUtf8String|relayStream|translate|convertResponse|readBodyText|watchIdle|callUpstream|sanitize) ';
const PROFILE_CALLERS = '^(newRequestFromIncoming|Response2|createAbortSignal) ';

async function profile(ctx) {
  const { tool, tmp, dataDir } = ctx;
  const results = [];
  const stamp = ctx.stamp;
  const outDir = join(ROOT, 'bench', 'results', 'profiles');
  mkdirSync(outDir, { recursive: true });
  // One profiled proxy under one load; stopped with `signal` so that Node writes the profile.
  const profiledRun = async (scenario, profDir, signal) => {
    const proxy = await startProxy(tmp, dataDir, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
    const url = `http://127.0.0.1:${proxy.port}${scenario.proxy.path}`;
    const body = JSON.stringify(scenario.proxy.body);
    const warm = await runLoad({ tool, tmp, core: LOAD_CORE, url, body, connections: 32, seconds: 1 });
    const cpu0 = cpuSeconds(proxy.pid);
    const run = await runLoad({ tool, tmp, core: LOAD_CORE, url, body, connections: 32, seconds: mode.profileSeconds });
    const cpuUsPerRequest = ((cpuSeconds(proxy.pid) - cpu0) * 1e6) / Math.max(1, run.requests);
    const stop = await stopProcess(proxy.child, signal);
    const files = listFiles(profDir).filter((f) => f.endsWith('.cpuprofile'));
    return { warm, run, cpuUsPerRequest, stop, files, signal };
  };
  for (const id of ['openai-json-c32', 'openai-sse-c32', 'anthropic-sse-c32']) {
    const scenario = allScenarios.find((s) => s.id === id);
    let attempt = await profiledRun(scenario, join(tmp, `prof-${id}`), 'SIGTERM');
    // Node writes the profile only on a normal exit; if SIGTERM did not lead to one, use SIGINT.
    if (attempt.files.length === 0) attempt = await profiledRun(scenario, join(tmp, `prof-${id}-int`), 'SIGINT');
    const { warm, run, cpuUsPerRequest, stop, files, signal } = attempt;
    if (files.length === 0) {
      results.push({ id, error: 'no .cpuprofile written on SIGTERM or SIGINT', stop });
      continue;
    }
    const kept = join(outDir, `${stamp}-${id}.cpuprofile`);
    copyFileSync(files[0], kept);
    const requests = warm.requests + run.requests;
    const summary = summarizeProfile(kept, { requests, cpuUsPerRequest, root: ROOT, match: PROFILE_MATCH, callers: PROFILE_CALLERS });
    writeFileSync(join(outDir, `${stamp}-${id}.md`), `${formatSummary(summary)}\n`);
    log(`profile ${id}: ${run.rps.toFixed(0)} req/s under the profiler, ${cpuUsPerRequest.toFixed(0)} µs proxy CPU/request; stopped with ${signal} (exit ${stop.code ?? stop.signal} after ${stop.ms.toFixed(0)} ms)`);
    results.push({ id, signal, stop, rpsUnderProfiler: run.rps, cpuUsPerRequestUnderProfiler: cpuUsPerRequest, requests, profile: kept.slice(ROOT.length + 1), summary });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Targets and the report

function evaluateTargets(r) {
  const targets = [];
  const add = (name, value, pass, detail) => targets.push({ name, value, pass, detail });
  const t = r.throughput;
  if (t) {
    const versusPlain = (row) => `${row.proxy.cpuVersusPlain.toFixed(2)}× (${f(row.proxy.cpuUsPerRequest)} vs ${f(row.others.plain.cpuUsPerRequest)} µs)`;
    for (const [id, name, limit] of [
      ['openai-json-c32', 'non-streamed 32 conn', 1.5],
      ['openai-sse-c32', 'streamed 20 chunks 32 conn', 1.6],
    ]) {
      if (t[id]?.others.plain) add(`${name}: gateway CPU per request ≤ ${limit}× the plain proxy's`, versusPlain(t[id]), t[id].proxy.cpuVersusPlain <= limit);
    }
    for (const [id, name] of [
      ['anthropic-sse-c32', 'streamed'],
      ['anthropic-json-c32', 'non-streamed'],
    ]) {
      const row = t[id];
      if (row?.ratioToOpenAI !== undefined) add(`Anthropic path (${name}): ≥ 80% of the OpenAI path's throughput`, `${(row.ratioToOpenAI * 100).toFixed(1)}%`, row.ratioToOpenAI >= 0.8);
    }
  }
  if (r.latency) {
    add('time to first token ≤ direct + 1.0 ms', `+${r.latency.ttftAddedMs.toFixed(2)} ms`, r.latency.ttftAddedMs <= 1);
    add('per-chunk delay through the proxy: p99 ≤ 1 ms', `${r.latency.proxy.chunkDelayMs.p99.toFixed(2)} ms`, r.latency.proxy.chunkDelayMs.p99 <= 1);
  }
  if (r.memory) {
    const m = r.memory;
    add('memory ≤ 60 MiB per 1,000 open streams', `${m.perThousandStreamsMiB.toFixed(1)} MiB`, m.streamsOpen === MEMORY_STREAMS && m.perThousandStreamsMiB <= 60, m.streamsOpen !== MEMORY_STREAMS ? `only ${m.streamsOpen} streams opened` : undefined);
    add(
      'after clients abort: 0 upstream streams open (2 s later)',
      `${m.upstreamStreamsOpenAfterAbort} streams, ${m.upstreamSlowConnectionsOpenAfterAbort} connections`,
      m.upstreamStreamsOpenAfterAbort === 0 && m.upstreamSlowConnectionsOpenAfterAbort === 0,
    );
  }
  if (r.size) {
    if (r.size.available && Number.isFinite(r.size.gzipBytes)) add('Worker bundle ≤ 100 KiB gzipped', `${(r.size.gzipBytes / 1024).toFixed(1)} KiB`, r.size.gzipBytes <= 100 * 1024);
    else add('Worker bundle ≤ 100 KiB gzipped', 'not available', null);
  }
  return targets;
}

const f = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const times = (n) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–');

function report(r) {
  const lines = [];
  lines.push(`## Benchmark (${r.mode}) — ${r.date}`);
  lines.push('');
  lines.push(`- machine: ${r.machine.nproc} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, Linux ${r.machine.kernel}, Node ${r.machine.node}`);
  lines.push(`- commit: ${r.commit}${r.compared?.length ? `; compared builds: ${r.compared.map((c) => `${c.name} = ${c.commit} (${c.dir})`).join(', ')}` : ''}`);
  lines.push(`- load generator: ${r.loadGenerator}${r.loadGeneratorNote ? ` — ${r.loadGeneratorNote}` : ''}`);
  lines.push(
    `- pinning: every proxy (the gateway${r.compared?.length ? ', the compared builds' : ''}, the plain proxy, bare Hono) on core ${PROXY_CORE}, one loaded at a time; load generator, fake upstream (${r.fakeUpstream}) and this script on core ${LOAD_CORE} (taskset -c)`,
  );
  lines.push(`- gateway: \`node dist/server.js\`, NODE_ENV=production, LOG_LEVEL=${LOG_LEVEL}, rate limit 1,000,000 per 1 s window (never reached)${AUTH_TOKEN ? ', API_AUTH_TOKEN set and sent' : ', no API_AUTH_TOKEN (loopback, open)'}`);
  const before = Object.entries(r.machineBusyBeforeStart).map(([core, b]) => `core ${core} ${(b * 100).toFixed(0)}%`).join(', ');
  const other = r.throughput ? Object.values(r.throughput).flatMap((row) => Object.values(row.runs).flat().map((x) => x.proxyCoreOtherBusy)) : [];
  const otherText = other.length ? `; during the runs core ${PROXY_CORE} was busy besides the measured process median ${(median(other) * 100).toFixed(0)}%, max ${(Math.max(...other) * 100).toFixed(0)}% (kernel network work counts here too)` : '';
  const quiet = Object.values(r.machineBusyBeforeStart).every((b) => b <= 0.05) && other.every((x) => x <= 0.15);
  lines.push(`- machine load: ${r.loadAverage ? `load average ${r.loadAverage} at the start; ` : ''}before start ${before}${otherText}${quiet ? '' : ' — **the machine was not quiet: treat absolute figures as noise-affected, ratios less so**'}`);
  lines.push(`- each throughput figure: median of ${r.rounds} rounds of ${r.secondsPerRun} s, every side interleaved in each round; ratio = side ÷ direct medians; CPU × plain = CPU per request ÷ the plain proxy's, same scenario, same run`);
  if (r.throughput) {
    lines.push('');
    lines.push('| scenario | side | direct req/s | req/s | ÷ direct | direct p50 / p99 ms | p50 / p99 ms | CPU µs/req | CPU × plain |');
    lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|');
    for (const row of Object.values(r.throughput)) {
      const line = (label, side, italic) => {
        const extra = side.ratioToOpenAI !== undefined ? ` (${(side.ratioToOpenAI * 100).toFixed(0)}% of OpenAI path)` : '';
        const name = italic ? `*${label}*` : label;
        const errors = side.errors + row.direct.errors > 0 ? ` ⚠ ${row.direct.errors}/${side.errors} errors` : '';
        lines.push(
          `| ${row.label}${errors} | ${name} | ${f(row.direct.rps)} | ${f(side.rps)} | ${(side.ratio * 100).toFixed(1)}%${extra} | ${f(row.direct.p50Ms, 2)} / ${f(row.direct.p99Ms, 2)} | ${f(side.p50Ms, 2)} / ${f(side.p99Ms, 2)} | ${f(side.cpuUsPerRequest)} | ${times(side.cpuVersusPlain)} |`,
        );
      };
      line('**gateway**', row.proxy, false);
      for (const other of Object.values(row.others)) line(other.label, other, other.kind === 'baseline');
    }
  }
  if (r.latency) {
    const l = r.latency;
    lines.push('');
    lines.push(`Streaming latency, one connection, ${l.direct.streams} streams each of 50 chunks 50 ms apart (\`${l.model}\`), interleaved:`);
    lines.push('');
    lines.push('| | time to first byte ms | time to first token ms | chunk delay p50 ms | p99 ms | max ms | TTFT − direct ms |');
    lines.push('|---|--:|--:|--:|--:|--:|--:|');
    const labelOf = (side) => (side === 'direct' ? 'direct' : side === 'proxy' ? '**gateway**' : l.labels[side]);
    for (const side of l.sides) {
      const s = l[side];
      lines.push(`| ${labelOf(side)} | ${f(s.ttfbMs, 2)} | ${f(s.ttftMs, 2)} | ${f(s.chunkDelayMs.p50, 2)} | ${f(s.chunkDelayMs.p99, 2)} | ${f(s.chunkDelayMs.max, 2)} | ${side === 'direct' ? '' : `+${f(s.ttftMs - l.direct.ttftMs, 2)}`} |`);
    }
  }
  if (r.memory) {
    lines.push('');
    lines.push('Memory: 1,000 slow streams (one chunk a second) held open through a fresh process, then every client aborts:');
    lines.push('');
    lines.push('| | streams open | RSS idle → held MiB | MiB per 1,000 streams | upstream streams open 2 s after the abort | their connections | SIGTERM exit |');
    lines.push('|---|--:|--:|--:|--:|--:|--:|');
    for (const [name, m] of Object.entries(r.memory.subjects)) {
      const label = name === 'proxy' ? '**gateway**' : m.label;
      lines.push(
        `| ${label} | ${m.streamsOpen} of ${m.streamsRequested} (${m.streamsFailed} failed, ${m.openSeconds.toFixed(1)} s) | ${f(m.idleRssMiB, 1)} → ${f(m.loadedRssMiB, 1)} | ${f(m.perThousandStreamsMiB, 1)} | ${m.upstreamStreamsOpenAfterAbort}${m.secondsUntilNoUpstreamStream === null ? ` (still ${m.upstreamStreamsOpenAt15s} after 15 s)` : ''} | ${m.upstreamSlowConnectionsOpenAfterAbort} (all upstream sockets ${m.upstreamTwoSecondsAfterAbort.open}) | ${m.proxyStop.code ?? m.proxyStop.signal} after ${f(m.proxyStop.ms)} ms |`,
      );
    }
  }
  if (r.startup) {
    lines.push('');
    lines.push(
      `Start-up (spawn → first 200 on /api/v1/health, median of ${r.startup.runs}, pinned to core ${PROXY_CORE}): **${f(r.startup.proxyMs)} ms** ` +
        `(a bare node:http server: ${f(r.startup.bareNodeHttpMs)} ms).`,
    );
  }
  if (r.size) {
    lines.push('');
    if (r.size.available && Number.isFinite(r.size.gzipBytes)) {
      lines.push(`Worker bundle (${r.size.source}): ${Number.isFinite(r.size.bytes) ? `${f(r.size.bytes / 1024, 1)} KiB, ` : ''}**${f(r.size.gzipBytes / 1024, 1)} KiB gzipped**.`);
    } else lines.push(`Worker bundle: not available (${r.size.source}${r.size.output ? `: ${r.size.output.split('\n').slice(-3).join(' ')}` : ''}).`);
  }
  lines.push('');
  lines.push('| target | measured | result |');
  lines.push('|---|--:|---|');
  for (const target of r.targets) lines.push(`| ${target.name} | ${target.value} | ${target.pass === null ? 'n/a' : target.pass ? 'PASS' : '**FAIL**'}${target.detail ? ` (${target.detail})` : ''} |`);
  if (r.profile) {
    for (const p of r.profile) {
      lines.push('');
      lines.push(`### Profile: ${p.id} (${p.signal ?? ''}; ${p.profile ?? p.error})`);
      if (p.summary) {
        lines.push('');
        lines.push(formatSummary({ ...p.summary, topSelf: p.summary.topSelf.slice(0, 15), topTotal: p.summary.topTotal.slice(0, 15) }));
      }
    }
  }
  return lines.join('\n');
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()), // before this process pins itself
    cpuModel: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    kernel: release(),
    node: process.version,
  };
}

function wrkVersion(path) {
  const result = spawnSync(path, ['-v'], { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')[0].replace(/ Copyright.*/, '').trim() || 'wrk';
}

function gitCommit(dir = ROOT) {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'scripts', 'package.json', 'package-lock.json'], { cwd: dir, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in src/ or package files` : head;
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------

/** How busy the machine is before we start anything: other people's tests make every figure noise. */
async function machineNoise(seconds = 2) {
  const before = coreTimes();
  await sleep(seconds * 1000);
  return busyFractions(before, coreTimes());
}

async function main() {
  const machineInfo = machine();
  pinSelf(LOAD_CORE);
  const started = performance.now();
  const wrk = option('load', '') !== 'autocannon' ? findWrk() : undefined;
  const autocannon = findAutocannon(ROOT);
  let tool;
  let loadGeneratorNote;
  if (wrk) tool = { name: 'wrk', path: wrk };
  else if (option('load', '') !== 'wrk' && autocannon) {
    tool = { name: 'autocannon', path: autocannon };
    loadGeneratorNote =
      'wrk is not installed (apt-get install wrk): autocannon is JavaScript and needs a core of its own at these rates, so the direct baseline is capped by the generator and every ratio here reads higher than it is; these figures are less trustworthy';
    log(`NOTE: ${loadGeneratorNote}`);
  } else throw new Error('no load generator: install wrk (apt-get install wrk) or run npm install');

  if (!flag('no-build')) {
    log('building dist/server.js (npm run build)');
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  if (!existsSync(join(ROOT, 'dist', 'server.js'))) throw new Error('dist/server.js is missing: run npm run build');

  const idleBusy = await machineNoise();
  const noisy = Object.values(idleBusy).some((b) => b > 0.05);
  log(`machine before start: ${Object.entries(idleBusy).map(([core, b]) => `core ${core} ${(b * 100).toFixed(0)}% busy`).join(', ')}${noisy ? ' — NOT IDLE: other processes will distort every figure' : ''}`);
  const tmp = mkdtempSync(join(tmpdir(), 'llm-gateway-bench-'));
  const dataDir = join(tmp, 'data');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const fakeChoice = option('fake', 'own');
  const upstream = await startUpstream(tmp, fakeChoice);
  log(`fake upstream ${upstream.script} on 127.0.0.1:${upstream.port} (core ${LOAD_CORE}); load generator ${tool.name} (core ${LOAD_CORE}); proxy on core ${PROXY_CORE}`);

  const results = {
    date: new Date().toISOString(),
    mode: mode.name,
    machine: machineInfo,
    commit: gitCommit(),
    loadGenerator: tool.name === 'wrk' ? `${wrkVersion(tool.path)}, 1 thread` : `autocannon ${JSON.parse(readFileSync(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version} (npm)`,
    loadGeneratorNote,
    fakeUpstream: upstream.script,
    pinning: { proxy: PROXY_CORE, loadGenerator: LOAD_CORE, fakeUpstream: LOAD_CORE, orchestrator: LOAD_CORE },
    proxyEnvironment: { ...proxyEnvironment('<tmp>/data', 0), PATH: undefined, HOME: undefined, PORT: '<free port>', PROVIDER_ENCRYPTION_KEY: '<set, 46 characters>' },
    rounds: mode.rounds,
    secondsPerRun: mode.seconds,
    sections: [...sections],
    machineBusyBeforeStart: idleBusy,
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };

  const ctx = { tool, tmp, dataDir, upstream, stamp };
  try {
    ctx.proxy = await startProxy(tmp, dataDir);
    log(`proxy pid ${ctx.proxy.pid} on 127.0.0.1:${ctx.proxy.port}, ready ${ctx.proxy.startupMs.toFixed(0)} ms after spawn`);
    results.providers = await createProviders(ctx.proxy.port, upstream.port);
    await probe(ctx.proxy.port);
    log('probe: both providers answer correctly, JSON and SSE');

    ctx.compared = await startCompared(ctx);
    ctx.baselines = [];
    for (const baseline of BASELINES) ctx.baselines.push(await startBaseline(baseline, upstream));
    log(`baselines: ${ctx.baselines.map((b) => `${b.name} pid ${b.pid} on 127.0.0.1:${b.port}`).join(', ')} (core ${PROXY_CORE})`);
    if (sections.has('throughput')) results.throughput = await throughput(ctx);
    if (sections.has('latency')) results.latency = await latency(ctx);
    for (const baseline of ctx.baselines) await stopProcess(baseline.child, 'SIGTERM');
    results.comparedLogs = {};
    for (const compared of ctx.compared) {
      results.comparedLogs[compared.name] = proxyWarnings(compared.logFile);
      await stopProcess(compared.child, 'SIGTERM');
    }
    results.compared = COMPARE.map((build) => ({ name: build.name, dir: build.dir, commit: gitCommit(build.dir) }));
    results.mainProxyLog = proxyWarnings(ctx.proxy.logFile);
    results.mainProxyStop = await stopProcess(ctx.proxy.child, 'SIGTERM');
    if (sections.has('memory')) results.memory = await memory(ctx);
    if (sections.has('startup')) results.startup = await startup(ctx);
    if (sections.has('size')) {
      log('Worker bundle size');
      results.size = await workerSize(ctx);
    }
    if (sections.has('profile')) results.profile = await profile(ctx);
  } finally {
    if (ctx.proxy && ctx.proxy.child.exitCode === null) await stopProcess(ctx.proxy.child, 'SIGTERM');
    await stopProcess(upstream.child, 'SIGTERM');
    killChildren();
  }

  results.targets = evaluateTargets(results);
  results.durationSeconds = round((performance.now() - started) / 1000, 1);
  const markdown = report(results);
  const resultsDir = join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const base = join(resultsDir, `${stamp}-${mode.name}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, (key, value) => (typeof value === 'number' && !Number.isInteger(value) ? round(value, 3) : value), 2)}\n`);
  writeFileSync(`${base}.md`, `${markdown}\n`);
  process.stdout.write(`${markdown}\n\n(${results.durationSeconds} s; results in ${base.slice(ROOT.length + 1)}.json and .md)\n`);
  if (results.mainProxyLog.lines > 0) log(`the proxy logged ${results.mainProxyLog.lines} line(s) at ${LOG_LEVEL}+ during the runs: ${JSON.stringify(results.mainProxyLog.counts)}`);
  rmSync(tmp, { recursive: true, force: true });
}

main().catch((error) => {
  killChildren();
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
