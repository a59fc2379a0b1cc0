import { request as httpRequest, createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

// A pass-through HTTP proxy on 127.0.0.1 between a CLI and the gateway: it keeps what the CLI
// sent (method, path, headers, body) and the status and headers the gateway answered with, and
// streams the answer through untouched. The CLIs are native binaries: this is the only way to
// see their requests without changing the gateway.

export interface RecordedExchange {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  responseHeaders: IncomingHttpHeaders;
}

export interface RecordingProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  exchanges: RecordedExchange[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const exchanges: RecordedExchange[] = [];
  const { hostname, port } = new URL(target);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const outbound = httpRequest({ hostname, port, method: req.method, path: req.url, headers: { ...req.headers, host: `${hostname}:${port}` } }, (answer) => {
      exchanges.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: body.toString('utf8'), status: answer.statusCode ?? 0, responseHeaders: answer.headers });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    outbound.on('error', () => res.destroy());
    res.on('close', () => outbound.destroy());
    outbound.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
