// Bundles the Node entry point into dist/server.js. Dependencies stay external (node_modules),
// so the production image installs them with `npm ci --omit=dev` and runs plain `node`.
import { build } from 'esbuild';

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
