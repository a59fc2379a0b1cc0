// Builds llm-gateway-client into dist/: index.js (ESM for any runtime, eventsource-parser left to
// the consumer's installer or bundler), presets.js (llm-gateway-client/presets) and their declarations in dist/types/, emitted by tsc from
// tsconfig.json. Run by the gateway's `npm run build` and by this package's prepack.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

// Emitted afresh, so a renamed module leaves no stale file to be packed.
rmSync(join(here, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: { index: join(here, 'src/index.ts'), presets: join(here, 'src/provider-presets.ts') },
  outdir: join(here, 'dist'),
  bundle: true,
  // Neutral: no Node built-ins, no browser shims; the client uses Web APIs only.
  platform: 'neutral',
  format: 'esm',
  target: 'es2022',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
