// Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went: the top functions by
// self time and by total (inclusive) time, with file:line, and self time per category (node
// internals, each npm package, this project's src/, GC, idle). Bundled code (dist/*.js) is mapped
// back to src/ through its source map when one sits beside it.
//
//   node bench/summarize-profile.mjs <file.cpuprofile> [--requests N] [--cpu-us-per-request U] [--top 25] [--match REGEX]
//
// With --requests, each figure is also given in µs per request: the profile's own busy time
// divided by the requests, or, with --cpu-us-per-request (the process's CPU time per request
// measured from /proc, which the bench passes), each function's share of the busy samples times
// that figure. --match lists every function whose name or file:line matches, with self and total.
//
// V8 samples on a timer; when another process holds the core, the next sample comes late and its
// gap would be charged to whatever ran next. Gaps are therefore capped at twice the median
// sampling interval, so a busy machine distorts the shares less.

import { readFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relative } from 'node:path';

const sourceMaps = new Map();

function sourceMapFor(url) {
  if (sourceMaps.has(url)) return sourceMaps.get(url);
  let map;
  try {
    const file = fileURLToPath(url);
    if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
  } catch {
    map = undefined;
  }
  sourceMaps.set(url, map);
  return map;
}

function displayPath(path, root) {
  if (path.startsWith('file://')) path = fileURLToPath(path);
  const rel = relative(root, path);
  return rel.startsWith('..') ? path : rel;
}

/** file:line of a call frame (1-based line), mapped to the original source when possible. */
function locate(frame, root) {
  const { url, lineNumber, columnNumber } = frame;
  if (!url) return '';
  if (url.startsWith('file://')) {
    const map = sourceMapFor(url);
    if (map && lineNumber >= 0) {
      const entry = map.findEntry(lineNumber, Math.max(0, columnNumber));
      if (entry && entry.originalSource) {
        let source = entry.originalSource;
        if (!source.startsWith('file://') && !source.startsWith('/')) source = new URL(source, url).href;
        return `${displayPath(source, root)}:${entry.originalLine + 1}`;
      }
    }
    return `${displayPath(url, root)}:${lineNumber + 1}`;
  }
  return `${url}:${lineNumber + 1}`;
}

function category(name, location) {
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)') return 'program (V8/native, unattributed)';
  if (name === '(root)') return 'root';
  if (!location) return 'native (builtins, no file)';
  if (location.startsWith('node:')) return 'node internals';
  const modules = location.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const rest = location.slice(modules + 'node_modules/'.length).split('/');
    return `npm: ${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (location.startsWith('src/')) return 'project src/';
  return 'other';
}

export function summarizeProfile(file, { requests, cpuUsPerRequest, top = 25, root = process.cwd(), match, callers } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map();
  const parent = new Map();
  for (const node of profile.nodes) {
    nodes.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const keyOf = new Map();
  const info = new Map();
  for (const node of profile.nodes) {
    const name = node.callFrame.functionName || '(anonymous)';
    const location = locate(node.callFrame, root);
    const key = `${name}\u0000${location}`;
    keyOf.set(node.id, key);
    if (!info.has(key)) info.set(key, { name, location, category: category(name, location), selfUs: 0, totalUs: 0 });
  }

  // Self time from the sample deltas (more exact than hitCount × interval); total time counts a
  // sample once for each distinct function on its stack, so recursion is not counted twice.
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const sortedDeltas = deltas.filter((d) => d > 0).sort((a, b) => a - b);
  const cap = 2 * (sortedDeltas[Math.floor(sortedDeltas.length / 2)] ?? 1000);
  let allUs = 0;
  // --callers: for a function, the time spent in it (inclusive) split by the function that called it.
  const callerPattern = callers ? new RegExp(callers) : undefined;
  const callerTimes = new Map();
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the time a sample stands for is the next delta.
    const us = Math.min(cap, Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0));
    allUs += us;
    const leaf = samples[i];
    info.get(keyOf.get(leaf)).selfUs += us;
    const seen = new Set();
    for (let id = leaf; id !== undefined; id = parent.get(id)) {
      const key = keyOf.get(id);
      if (seen.has(key)) continue;
      seen.add(key);
      info.get(key).totalUs += us;
    }
    if (callerPattern) {
      // The outermost frame on this stack that matches, and its caller.
      let found;
      for (let id = leaf; id !== undefined; id = parent.get(id)) {
        const e = info.get(keyOf.get(id));
        if (callerPattern.test(`${e.name} ${e.location}`)) found = id;
      }
      if (found !== undefined) {
        const e = info.get(keyOf.get(found));
        // Three callers up, skipping anonymous frames of the same file (getters, wrappers).
        const chain = [];
        for (let up = parent.get(found); up !== undefined && chain.length < 3; up = parent.get(up)) {
          const c = info.get(keyOf.get(up));
          if (c.name === '(root)') break;
          chain.push(`${c.name} ${c.location}`);
        }
        const key = `${e.name} ${e.location}  ←  ${chain.join('  ←  ') || '(none)'}`;
        callerTimes.set(key, (callerTimes.get(key) ?? 0) + us);
      }
    }
  }

  const entries = [...info.values()];
  const idleUs = entries.filter((e) => e.name === '(idle)').reduce((sum, e) => sum + e.selfUs, 0);
  const busyUs = allUs - idleUs;
  const categories = new Map();
  for (const e of entries) categories.set(e.category, (categories.get(e.category) ?? 0) + e.selfUs);
  const perRequest = (us) => {
    if (!requests) return undefined;
    if (cpuUsPerRequest !== undefined && busyUs > 0) return (us / busyUs) * cpuUsPerRequest;
    return us / requests;
  };
  const row = (e, field) => ({
    name: e.name,
    location: e.location,
    category: e.category,
    ms: e[field] / 1000,
    pctOfBusy: busyUs > 0 ? (100 * e[field]) / busyUs : 0,
    usPerRequest: perRequest(e[field]),
  });
  const pseudo = new Set(['(root)', '(idle)', '(program)', '(garbage collector)']);
  return {
    file,
    sampledMs: allUs / 1000,
    idleMs: idleUs / 1000,
    busyMs: busyUs / 1000,
    requests,
    busyUsPerRequest: perRequest(busyUs),
    perRequestBasis: cpuUsPerRequest !== undefined ? 'measured process CPU per request × share of busy samples' : 'profile busy time ÷ requests',
    samplingIntervalCapUs: cap,
    callers: callerPattern
      ? [...callerTimes.entries()].sort((a, b) => b[1] - a[1]).map(([edge, us]) => ({ edge, ms: us / 1000, usPerRequest: undefined, us }))
      : undefined,
    matched: match
      ? entries
          .filter((e) => new RegExp(match).test(`${e.name} ${e.location}`))
          .sort((a, b) => b.totalUs - a.totalUs)
          .map((e) => ({ name: e.name, location: e.location, selfMs: e.selfUs / 1000, totalMs: e.totalUs / 1000, totalPctOfBusy: busyUs > 0 ? (100 * e.totalUs) / busyUs : 0, totalUsPerRequest: perRequest(e.totalUs) }))
      : undefined,
    categories: [...categories.entries()]
      .filter(([name]) => name !== 'idle' && name !== 'root')
      .map(([name, us]) => ({ name, ms: us / 1000, pctOfBusy: busyUs > 0 ? (100 * us) / busyUs : 0, usPerRequest: perRequest(us) }))
      .sort((a, b) => b.ms - a.ms),
    topSelf: entries.filter((e) => e.name !== '(idle)' && e.name !== '(root)').sort((a, b) => b.selfUs - a.selfUs).slice(0, top).map((e) => row(e, 'selfUs')),
    topTotal: entries.filter((e) => !pseudo.has(e.name)).sort((a, b) => b.totalUs - a.totalUs).slice(0, top).map((e) => row(e, 'totalUs')),
  };
}

const fmt = (n, digits = 1) => (n === undefined ? '' : n.toFixed(digits));

export function formatSummary(summary) {
  const lines = [];
  const perReq = summary.requests !== undefined;
  lines.push(
    `Profile ${summary.file}: ${fmt(summary.sampledMs, 0)} ms sampled, ${fmt(summary.busyMs, 0)} ms busy` +
      (perReq ? `, ${summary.requests} requests → ${fmt(summary.busyUsPerRequest)} µs per request (${summary.perRequestBasis})` : ''),
  );
  lines.push('', '| category (self time) | ms | % of busy |' + (perReq ? ' µs/request |' : ''), '|---|--:|--:|' + (perReq ? '--:|' : ''));
  for (const c of summary.categories) lines.push(`| ${c.name} | ${fmt(c.ms)} | ${fmt(c.pctOfBusy)} |` + (perReq ? ` ${fmt(c.usPerRequest, 2)} |` : ''));
  const table = (title, rows) => {
    lines.push('', `| # | ${title} | file:line | ms | % of busy |` + (perReq ? ' µs/request |' : ''), '|--:|---|---|--:|--:|' + (perReq ? '--:|' : ''));
    rows.forEach((r, i) =>
      lines.push(`| ${i + 1} | ${r.name.replace(/\|/g, '\\|')} | ${r.location || '(native)'} | ${fmt(r.ms)} | ${fmt(r.pctOfBusy)} |` + (perReq ? ` ${fmt(r.usPerRequest, 2)} |` : '')),
    );
  };
  table('top by self time', summary.topSelf);
  table('top by total time', summary.topTotal);
  if (summary.callers) {
    lines.push('', '| callee ← caller (outermost match on each stack) | total ms |', '|---|--:|');
    for (const c of summary.callers.slice(0, 30)) lines.push(`| ${c.edge.replace(/\|/g, '\\|')} | ${fmt(c.ms)} |`);
  }
  if (summary.matched) {
    lines.push('', '| matched | file:line | self ms | total ms | total % of busy |' + (perReq ? ' total µs/request |' : ''), '|---|---|--:|--:|--:|' + (perReq ? '--:|' : ''));
    for (const m of summary.matched) lines.push(`| ${m.name.replace(/\|/g, '\\|')} | ${m.location || '(native)'} | ${fmt(m.selfMs)} | ${fmt(m.totalMs)} | ${fmt(m.totalPctOfBusy)} |` + (perReq ? ` ${fmt(m.totalUsPerRequest, 2)} |` : ''));
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const index = args.indexOf(`--${name}`);
    if (index === -1) return undefined;
    const [value] = args.splice(index, 2).slice(1);
    return value;
  };
  const requests = option('requests');
  const cpuUs = option('cpu-us-per-request');
  const top = option('top');
  const match = option('match');
  const callers = option('callers');
  const file = args[0];
  if (!file) {
    process.stderr.write('usage: node bench/summarize-profile.mjs <file.cpuprofile> [--requests N] [--top 25]\n');
    process.exit(2);
  }
  const summary = summarizeProfile(file, {
    requests: requests ? Number(requests) : undefined,
    cpuUsPerRequest: cpuUs ? Number(cpuUs) : undefined,
    top: top ? Number(top) : 25,
    match,
    callers,
  });
  process.stdout.write(`${formatSummary(summary)}\n`);
}
