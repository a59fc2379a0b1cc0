// Bundles the Node entry points into dist/ (server.js, rotate-key.js, migrate-store.js). Dependencies stay external (node_modules),
// so the production image installs them with `npm ci --omit=dev` and runs plain `node`.
// Builds the client package too (packages/client/build.mjs: llm-gateway-client's dist/).
// Builds the console into dist/public/ (what GET / serves on both runtimes: index.html,
// console.js, console.css), minified for browsers with preact and llm-gateway-client inside, and
// lists its files in dist/console-files.json for `npm run size`.
// Copies the API reference page's files (Swagger UI) into dist/public/docs/, after the console.
// Writes dist/public/_headers, with which Cloudflare's static assets send the console's security
// headers (src/console/page-headers.json, the ones Node's serve-console.ts sends) with every file.
// Writes the Worker's OpenAPI document into dist/public/api/v1/openapi.json
// (scripts/describe-worker-api.ts), which the Worker answers GET /api/v1/openapi.json with.
// Writes the price catalogue into dist/public/price-catalogue.json (scripts/build-price-catalogue.mjs).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';
import { buildPriceCatalogue } from './build-price-catalogue.mjs';
import { copyDocsAssets } from './copy-docs-assets.mjs';

await build({
  entryPoints: { server: 'src/adapter/node/server.ts', 'rotate-key': 'src/adapter/node/rotate-key.ts', 'migrate-store': 'src/adapter/node/migrate-store.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

await import('../packages/client/build.mjs');

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
  // Its paths map llm-gateway-client to the package's source, its jsx settings to preact.
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

copyDocsAssets('dist/public');

await buildPriceCatalogue('dist/public/price-catalogue.json');
// Bundled beside dist/server.js so that its packages resolve from node_modules, run, and removed.
const describer = 'dist/describe-worker-api.mjs';
await build({ entryPoints: ['scripts/describe-worker-api.ts'], outfile: describer, bundle: true, platform: 'node', format: 'esm', target: 'node22', packages: 'external', logLevel: 'warning' });
const { API_DESCRIPTION_FILE, describeWorkerApi } = await import(new URL(`../${describer}`, import.meta.url).href);
rmSync(describer);
const documentFile = `dist/public${API_DESCRIPTION_FILE}`;
mkdirSync(dirname(documentFile), { recursive: true });
writeFileSync(documentFile, await describeWorkerApi());
