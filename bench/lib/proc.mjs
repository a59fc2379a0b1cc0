// Process helpers: pinned spawning, CPU time and RSS from /proc, health polling, clean stops.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime + stime of a process (all its threads), in seconds; resolution 1/CLK_TCK. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": state is field 3, utime field 14, stime field 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident set size (VmRSS) in bytes. */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** Spawns `command args` bound to one CPU core with taskset (taskset execs, so child.pid is the command's). */
export function spawnPinned(core, command, args, options = {}) {
  return spawn('taskset', ['-c', String(core), command, ...args], options);
}

/** Pins every thread of this process to one core. */
export function pinSelf(core) {
  execFileSync('taskset', ['-a', '-pc', String(core), String(process.pid)], { stdio: 'ignore' });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One HTTP request to 127.0.0.1, body collected as text. */
export function httpRequest(port, path, { method = 'GET', body, headers = {}, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent: false,
        headers: payload === undefined ? headers : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (part) => (text += part));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${path}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Polls GET path until it answers 200; resolves with the time (ms, performance.now()) of that
 * answer. Rejects when the child exits first or after timeoutMs.
 */
export function waitFor200(port, path, child, { timeoutMs = 20_000, intervalMs = 2 } = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let exited = false;
    const onExit = (code, signal) => {
      exited = true;
      reject(new Error(`process exited (${code ?? signal}) before ${path} answered 200`));
    };
    child?.once('exit', onExit);
    const attempt = () => {
      if (exited) return;
      if (performance.now() - started > timeoutMs) {
        child?.off('exit', onExit);
        return reject(new Error(`no 200 from ${path} within ${timeoutMs} ms`));
      }
      const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        res.resume();
        if (res.statusCode === 200) {
          const at = performance.now();
          child?.off('exit', onExit);
          resolve(at);
        } else setTimeout(attempt, intervalMs);
      });
      req.on('error', () => setTimeout(attempt, intervalMs));
      req.end();
    };
    attempt();
  });
}

/** Sends a signal and waits for the exit; SIGKILL after graceMs. Resolves {code, signal, ms, forced}. */
export function stopProcess(child, signal = 'SIGTERM', graceMs = 15_000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode, ms: 0, forced: false });
    const started = performance.now();
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', (code, exitSignal) => {
      clearTimeout(timer);
      resolve({ code, signal: exitSignal, ms: performance.now() - started, forced });
    });
    child.kill(signal);
  });
}

/**
 * Per-core jiffies from /proc/stat: busy = user + nice + system + irq + softirq + steal, and the
 * total including idle and iowait. Used to see what other processes took from a core.
 */
export function coreTimes() {
  const cores = {};
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = match[2].trim().split(/\s+/).map(Number);
    cores[match[1]] = { busy: (user + nice + system + irq + softirq + (steal || 0)) / CLK_TCK, total: (user + nice + system + idle + iowait + irq + softirq + (steal || 0)) / CLK_TCK };
  }
  return cores;
}

/** Fraction of each core's time that was busy between two coreTimes() samples. */
export function busyFractions(before, after) {
  const out = {};
  for (const core of Object.keys(after)) {
    const total = after[core].total - before[core].total;
    out[core] = total > 0 ? (after[core].busy - before[core].busy) / total : 0;
  }
  return out;
}
