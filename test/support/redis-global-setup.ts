import type { TestProject } from 'vitest/node';
import { startRedisServer } from './redis-server.ts';

// For the node-redis project: one redis-server of its own for the whole behaviour suite, each
// server under test keeping its data under a prefix of its own (see node-target.ts).

declare module 'vitest' {
  export interface ProvidedContext {
    behaviourRedisUrl?: string;
  }
}

export default async function setup(project: TestProject) {
  const redis = await startRedisServer();
  project.provide('behaviourRedisUrl', redis.url);
  return () => redis.close();
}
