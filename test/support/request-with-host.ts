import { request } from 'node:http';

// fetch() (undici) drops a Host header it is given, so a request that names another host than the
// address it goes to (what a browser sends after DNS rebinding) is made with node:http.

export function requestWithHost(port: number, host: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { host };
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  const body = typeof init.body === 'string' ? init.body : undefined;
  if (init.body !== undefined && init.body !== null && body === undefined) throw new Error('requestWithHost sends string bodies only');
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('error', reject);
      incoming.once('end', () => {
        const answer = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined) answer.set(name, Array.isArray(value) ? value.join(', ') : value);
        const status = incoming.statusCode ?? 500;
        resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: answer }));
      });
    });
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}
