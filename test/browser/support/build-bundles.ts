import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { BUNDLE_ENTRIES } from './bundles.ts';

// Global setup of the browser project: every bundle built once for the run, into a temp folder
// that each test file's page server serves as /bundles/<name>.js.

declare module 'vitest' {
  export interface ProvidedContext {
    browserBundleFolder: string;
  }
}

export default async function setup(project: TestProject) {
  const folder = await mkdtemp(join(tmpdir(), 'gateway-browser-bundles-'));
  await Promise.all(
    Object.entries(BUNDLE_ENTRIES).map(([name, entry]) =>
      build({
        entryPoints: [entry],
        outfile: join(folder, `${name}.js`),
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
        logLevel: 'warning',
      }),
    ),
  );
  project.provide('browserBundleFolder', folder);
  return () => rm(folder, { recursive: true, force: true });
}
