import { buildSync } from 'esbuild';

// Bundles a Node entry point (the server, rotate-key) into one ESM file that runs from a temp
// folder, away from node_modules. CommonJS packages in the bundle (proper-lockfile, undici) call
// require(), which an ES module lacks: the banner gives them Node's own.

export function buildNodeScript(entry: string, outfile: string): void {
  buildSync({
    entryPoints: [new URL(`../../${entry}`, import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  });
}
