import type { Server } from 'node:http';

// A graceful stop of the HTTP server: no new connections, requests in flight finish, and after
// timeoutMs whatever is still open (a long stream) is closed. Resolves once every connection is.
//
// server.close() closes the connections that are idle at that moment only: a keep-alive
// connection whose answer ends later stays open for the whole keepAliveTimeout and holds the exit
// (seen in the container test: a 2 s stream, then 5 s of nothing before the process left). So the
// connections are closed as they fall idle.

const SWEEP_MS = 100;

export function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    sweep.unref();
    force.unref();
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
