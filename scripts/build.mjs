// Bundles the Node entry point into dist/server.js. Dependencies stay external (node_modules),
// so the production image installs them with `npm ci --omit=dev` and runs plain `node`.
// Builds llm-gateway/client too: dist/client.js (ESM for any runtime, eventsource-parser left to
// the consumer's installer or bundler) and its declarations in dist/types/, emitted by tsc from
// src/client/tsconfig.json.
// Static files the gateway serves itself go to dist/public/ (the API reference page's in docs/).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { copyDocsAssets } from './copy-docs-assets.mjs';

await build({
  entryPoints: { server: 'src/adapter/node/server.ts', 'rotate-key': 'src/adapter/node/rotate-key.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

await build({
  entryPoints: { client: 'src/client/index.ts' },
  outdir: 'dist',
  bundle: true,
  // Neutral: no Node built-ins, no browser shims; the client uses Web APIs only.
  platform: 'neutral',
  format: 'esm',
  target: 'es2022',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

// Emitted afresh, so a renamed module leaves no stale declaration to be packed.
rmSync('dist/types', { recursive: true, force: true });
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', 'src/client/tsconfig.json'], { stdio: 'inherit' });

copyDocsAssets('dist/public');
