import type { TestProject } from 'vitest/node';
import { startFakeUpstream } from './fake-upstream/index.ts';

// One fake upstream (a real HTTP server on 127.0.0.1) for the whole run, shared by both
// runtimes' projects through provide/inject.

declare module 'vitest' {
  export interface ProvidedContext {
    upstreamUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const upstream = await startFakeUpstream();
  project.provide('upstreamUrl', upstream.url);
  return () => upstream.close();
}
