// Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went: the top functions by
// self time and by total (inclusive) time, with file:line, and self time per category (node
// internals, each npm package, this project's src/, GC, idle). Bundled code (dist/*.js) is mapped
// back to src/ through its source map when one sits beside it.
//
//   node bench/summarize-profile.mjs <file.cpuprofile> [--requests N] [--top 25]
//
// With --requests, each figure is also given in µs per request.

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

export function summarizeProfile(file, { requests, top = 25, root = process.cwd() } = {}) {
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
  let allUs = 0;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the time a sample stands for is the next delta.
    const us = Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0);
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
  }

  const entries = [...info.values()];
  const idleUs = entries.filter((e) => e.name === '(idle)').reduce((sum, e) => sum + e.selfUs, 0);
  const busyUs = allUs - idleUs;
  const categories = new Map();
  for (const e of entries) categories.set(e.category, (categories.get(e.category) ?? 0) + e.selfUs);
  const perRequest = (us) => (requests ? us / requests : undefined);
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
      (perReq ? `, ${summary.requests} requests → ${fmt(summary.busyUsPerRequest)} µs busy per request` : ''),
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
  const top = option('top');
  const file = args[0];
  if (!file) {
    process.stderr.write('usage: node bench/summarize-profile.mjs <file.cpuprofile> [--requests N] [--top 25]\n');
    process.exit(2);
  }
  const summary = summarizeProfile(file, { requests: requests ? Number(requests) : undefined, top: top ? Number(top) : 25 });
  process.stdout.write(`${formatSummary(summary)}\n`);
}
