import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../config/config-schema.ts';
import { StorageUnavailableError } from '../../errors/api-error.ts';
import { createNodeApp, StartupError } from './create-node-app.ts';
import { closeServer } from './close-server.ts';
import { listen } from './listen.ts';
import { FileLockedError } from './file-lock.ts';
import { StoreFileError } from './json-file-provider-store.ts';

// The Node entry point: configuration from process.env, the app on node:http (listen.ts), and a
// graceful stop on SIGTERM/SIGINT (stop accepting, let in-flight requests finish within
// SHUTDOWN_TIMEOUT_MS, exit 0).

async function main(): Promise<void> {
  let node: Awaited<ReturnType<typeof createNodeApp>>;
  try {
    // This file is dist/server.js: the console was built beside it, whatever the working directory.
    node = await createNodeApp({ environment: process.env, publicFolder: fileURLToPath(new URL('public', import.meta.url)) });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError || error instanceof FileLockedError || error instanceof StoreFileError || error instanceof StorageUnavailableError) {
      process.stderr.write(`Cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { app, config, logger } = node;

  let server: Server;
  try {
    ({ server } = await listen(app, { port: config.PORT, hostname: config.HOST }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`Cannot start: ${code === 'EADDRINUSE' ? `port ${config.PORT} is already in use (set PORT)` : (error as Error).message}\n`);
    await node.close();
    process.exit(1);
  }
  const address = server.address() as AddressInfo;
  const { consoleUrl, apiUrl } = serverUrls(config.HOST, address);
  // `url`: the bound address, which scripts and tests read; the other two: where a person points a browser and an SDK.
  logger.info('listening', { url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/api/v1`, consoleUrl, apiUrl, pid: process.pid });

  let stopping = false;
  const stop = (signal: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    void closeServer(server, config.SHUTDOWN_TIMEOUT_MS).then(() => node.close().finally(() => process.exit(exitCode)));
  };
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));
  // Another process holds the data file now: serving on would mean two writers. Writes are already
  // refused (503); in-flight requests finish, then the exit status tells a supervisor something is wrong.
  void node.lockLost.then(() => {
    process.stderr.write(`Stopping: another process took over the lock on PROVIDERS_FILE (${config.PROVIDERS_FILE}); run one server per data file.\n`);
    stop('lock lost', 1);
  });
}

/** What to open in a browser and what to give an SDK: the host as configured (a name reads better than its address), the port as bound. */
function serverUrls(host: string, address: AddressInfo): { consoleUrl: string; apiUrl: string } {
  const anyAddress = host === '0.0.0.0' || host === '::' || host === '';
  const name = anyAddress ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${name}:${address.port}`;
  return { consoleUrl: `${origin}/`, apiUrl: `${origin}/api/v1` };
}

await main();
