// Builds the Worker exactly as `wrangler deploy` would (--dry-run: no network, no upload) and
// prints the bundle's size and gzipped size. Fails when the gzipped bundle is over the budget,
// so a dependency or an import that defeats tree-shaking (e.g. `import { z } from 'zod'`, which
// pulls in every zod locale: use `import * as z from 'zod'`) is caught before a deploy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP_KIB = 100;
const outdir = mkdtempSync(join(tmpdir(), 'gateway-worker-'));
try {
  // No banner, hence no update check against the npm registry: the build itself is offline.
  execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WRANGLER_HIDE_BANNER: 'true' },
  });
  const files = readdirSync(outdir).filter((name) => name.endsWith('.js') || name.endsWith('.mjs'));
  const bundle = Buffer.concat(files.map((name) => readFileSync(join(outdir, name))));
  const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;
  const gzipped = gzipSync(bundle).length;
  console.log(`Worker bundle (${files.join(', ')}): ${kib(bundle.length)}, gzipped ${kib(gzipped)} (budget ${BUDGET_GZIP_KIB} KiB gzipped)`);
  if (gzipped > BUDGET_GZIP_KIB * 1024) {
    console.error(`Over budget by ${kib(gzipped - BUDGET_GZIP_KIB * 1024)}.`);
    process.exitCode = 1;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
