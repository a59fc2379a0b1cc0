import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { ConfigError } from '../../config/config-schema.ts';
import { createNodeApp, StartupError } from './create-node-app.ts';
import { FileLockedError } from './file-lock.ts';
import { StoreFileError } from './json-file-provider-store.ts';

// The Node entry point: configuration from process.env, the app on @hono/node-server, and a
// graceful stop on SIGTERM/SIGINT (stop accepting, let in-flight requests finish within
// SHUTDOWN_TIMEOUT_MS, exit 0).

async function main(): Promise<void> {
  let node: Awaited<ReturnType<typeof createNodeApp>>;
  try {
    node = await createNodeApp({ environment: process.env });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError || error instanceof FileLockedError || error instanceof StoreFileError) {
      process.stderr.write(`Cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { app, config, logger } = node;

  const server = serve(
    {
      fetch: app.fetch,
      port: config.PORT,
      hostname: config.HOST,
      serverOptions: {
        // Against slow clients: a few hundred trickling sockets must not starve real users.
        headersTimeout: 10_000,
        requestTimeout: 30_000,
        keepAliveTimeout: 5_000,
      },
    },
    (info) => {
      logger.info('listening', { url: `http://${info.family === 'IPv6' ? `[${info.address}]` : info.address}:${info.port}/api/v1`, pid: process.pid });
    },
  ) as Server;
  server.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(`Cannot start: ${error.code === 'EADDRINUSE' ? `port ${config.PORT} is already in use (set PORT)` : error.message}\n`);
    void node.close().finally(() => process.exit(1));
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      void node.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
