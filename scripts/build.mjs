// Bundles the Node entry points into dist/ (server.js, rotate-key.js, migrate-store.js). Dependencies stay external (node_modules),
// so the production image installs them with `npm ci --omit=dev` and runs plain `node`.
// Builds llm-gateway/client too: dist/client.js (ESM for any runtime, eventsource-parser left to
// the consumer's installer or bundler) and its declarations in dist/types/, emitted by tsc from
// src/client/tsconfig.json.
// Builds the console into dist/public/ (what GET / serves on both runtimes: index.html,
// console.js, console.css), minified for browsers with preact and llm-gateway/client inside, and
// lists its files in dist/console-files.json for `npm run size`.
// Copies the API reference page's files (Swagger UI) into dist/public/docs/, after the console.
// Writes dist/public/_headers, with which Cloudflare's static assets send the console's security
// headers (src/console/page-headers.json, the ones Node's serve-console.ts sends) with every file.
// Writes the price catalogue into dist/public/price-catalogue.json (scripts/build-price-catalogue.mjs).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { buildPriceCatalogue } from './build-price-catalogue.mjs';
import { copyDocsAssets } from './copy-docs-assets.mjs';

await build({
  entryPoints: { server: 'src/adapter/node/server.ts', 'rotate-key': 'src/adapter/node/rotate-key.ts', 'migrate-store': 'src/adapter/node/migrate-store.ts' },
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

// Emitted afresh, so a file the console no longer builds is not served.
rmSync('dist/public', { recursive: true, force: true });
mkdirSync('dist/public', { recursive: true });
const consoleBuild = await build({
  entryPoints: { console: 'src/console/main.tsx' },
  outdir: 'dist/public',
  bundle: true,
  minify: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  // Its paths map llm-gateway/client to src/client, its jsx settings to preact.
  tsconfig: 'src/console/tsconfig.json',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync('src/console/index.html', 'dist/public/index.html');
const pageHeaders = JSON.parse(readFileSync('src/console/page-headers.json', 'utf8'));
writeFileSync('dist/public/_headers', `/*\n${Object.entries(pageHeaders).map(([name, value]) => `  ${name}: ${value}\n`).join('')}`);
const consoleFiles = ['dist/public/index.html', ...Object.keys(consoleBuild.metafile.outputs)].sort();
writeFileSync('dist/console-files.json', `${JSON.stringify(consoleFiles, null, 2)}\n`);

// Emitted afresh, so a renamed module leaves no stale declaration to be packed.
rmSync('dist/types', { recursive: true, force: true });
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', 'src/client/tsconfig.json'], { stdio: 'inherit' });

copyDocsAssets('dist/public');

await buildPriceCatalogue('dist/public/price-catalogue.json');
