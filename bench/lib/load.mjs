// The load generators: wrk (C, from Debian; preferred) or autocannon (npm; costs far more CPU, so
// a baseline driven by it is capped by the generator). Both run pinned to the given core.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnPinned } from './proc.mjs';

export function findWrk() {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function findAutocannon(root) {
  const bin = join(root, 'node_modules', 'autocannon', 'autocannon.js');
  return existsSync(bin) ? bin : undefined;
}

function collect(child) {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (part) => (stdout += part));
    child.stderr.on('data', (part) => (stderr += part));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const luaString = (text) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

let scriptCount = 0;

/**
 * One load run. Returns {requests, seconds, rps, p50Us, p99Us, maxUs, errors} where errors counts
 * connect/read/write/timeout failures and non-2xx answers.
 */
export async function runLoad({ tool, tmp, core, url, body, headers = {}, connections, seconds, timeoutS = 10 }) {
  if (tool.name === 'wrk') {
    const script = join(tmp, `wrk-${scriptCount++}.lua`);
    writeFileSync(
      script,
      `wrk.method = "POST"
wrk.body = ${luaString(body)}
wrk.headers["Content-Type"] = "application/json"
${Object.entries(headers).map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`).join('\n')}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%.0f,"duration_us":%.0f,"bytes":%.0f,"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f,"p50":%.0f,"p90":%.0f,"p99":%.0f,"max":%.0f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`,
    );
    const child = spawnPinned(core, tool.path, ['-t1', `-c${connections}`, `-d${seconds}s`, `--timeout`, `${timeoutS}s`, '-s', script, url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { code, stdout, stderr } = await collect(child);
    const line = stdout.split('\n').find((l) => l.startsWith('WRKJSON '));
    if (code !== 0 || !line) throw new Error(`wrk failed (${code}): ${stderr || stdout}`);
    const r = JSON.parse(line.slice(8));
    const secondsRun = r.duration_us / 1e6;
    return {
      requests: r.requests,
      seconds: secondsRun,
      rps: r.requests / secondsRun,
      p50Us: r.p50,
      p90Us: r.p90,
      p99Us: r.p99,
      maxUs: r.max,
      errors: r.connect + r.read + r.write + r.status + r.timeout,
      errorDetail: { connect: r.connect, read: r.read, write: r.write, status: r.status, timeout: r.timeout },
    };
  }
  // autocannon, as a separate pinned process.
  const child = spawnPinned(
    core,
    process.execPath,
    [tool.path, '-c', String(connections), '-d', String(seconds), '-t', String(timeoutS), '-m', 'POST', '-H', 'content-type=application/json', ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]), '-b', body, '-j', url],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const { code, stdout, stderr } = await collect(child);
  let r;
  try {
    r = JSON.parse(stdout.slice(stdout.indexOf('{')));
  } catch {
    throw new Error(`autocannon failed (${code}): ${stderr.slice(-2000)}`);
  }
  const requests = r.requests.total;
  return {
    requests,
    seconds: r.duration,
    rps: requests / r.duration,
    p50Us: r.latency.p50 * 1000,
    p90Us: r.latency.p90 * 1000,
    p99Us: r.latency.p99 * 1000,
    maxUs: r.latency.max * 1000,
    errors: (r.errors ?? 0) + (r.timeouts ?? 0) + (r.non2xx ?? 0),
    errorDetail: { errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx },
  };
}
