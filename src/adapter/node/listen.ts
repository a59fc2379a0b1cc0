import type { Hono } from 'hono';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestListener } from './request-listener.ts';

// The HTTP server around the app, with the timeouts that keep slow clients from holding
// sockets: a client must finish its headers within headersTimeoutMs and its whole request
// within requestTimeoutMs (streamed answers are not affected: these bound the request side).

export interface ListenOptions {
  port: number;
  hostname: string;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export function listen(app: Hono<any>, options: ListenOptions): Promise<{ server: Server; address: AddressInfo }> {
  return new Promise((resolve, reject) => {
    const server = createServer(
      {
        headersTimeout: options.headersTimeoutMs ?? 10_000,
        requestTimeout: options.requestTimeoutMs ?? 30_000,
        keepAliveTimeout: 5_000,
        // How often Node checks those deadlines (default 30 s, which would let a trickling
        // socket live three times longer than headersTimeout says).
        connectionsCheckingInterval: 1_000,
      },
      createRequestListener((request, bindings) => app.fetch(request, bindings)),
    );
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve({ server, address: server.address() as AddressInfo });
    });
    server.listen(options.port, options.hostname);
  });
}
