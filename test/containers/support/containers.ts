import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { docker } from './docker-engine.ts';

// What the container tests do with containers, on the engine the global setup started.

export const repository = fileURLToPath(new URL('../../../', import.meta.url));

/** Everything the tests make carries this label, so the teardown finds it all. */
export const testLabel = 'llm-gateway.test=containers';

export const host = () => inject('dockerHost');
export const gatewayImage = () => inject('gatewayImage');

export const PROVIDER_ENCRYPTION_KEY = 'container-test-encryption-key-0123456789abcdef';
export const API_AUTH_TOKEN = 'container-test-api-token-0123456789';
export const ADMIN_TOKEN = 'container-test-admin-token-0123456789';
export const FAKE_UPSTREAM_PORT = '8000';

export async function createNetwork(name: string): Promise<void> {
  await docker(host(), ['network', 'create', '--label', testLabel, name]);
}

/** bench/fake-upstream.mjs (OpenAI's and Anthropic's wire formats) in a container on the network. */
export async function startFakeUpstream(network: string, name: string): Promise<void> {
  await docker(host(), [
    'run', '--detach', '--name', name, '--label', testLabel, '--network', network, '--network-alias', 'fake-upstream',
    '--volume', `${repository}bench/fake-upstream.mjs:/srv/fake-upstream.mjs:ro`,
    gatewayImage(), 'node', '/srv/fake-upstream.mjs', '--host', '0.0.0.0', '--port', FAKE_UPSTREAM_PORT,
  ]);
}

/** The host side (127.0.0.1:port) of a container's published port. */
export async function publishedUrl(container: string, port: string): Promise<string> {
  const line = (await docker(host(), ['port', container, `${port}/tcp`])).split('\n')[0]!;
  if (!line.startsWith('127.0.0.1:')) throw new Error(`${container}:${port} is published on ${line}, not on 127.0.0.1`);
  return `http://${line}`;
}

export async function inspect(container: string, format: string): Promise<string> {
  return docker(host(), ['inspect', '--format', format, container]);
}

/** Waits for a container's health check to report the status; fails on any other final one. */
export async function waitForHealth(container: string, wanted: 'healthy', timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const status = await inspect(container, '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.Status}}');
    if (status === `${wanted} running`) return Date.now() - started;
    if (!status.endsWith(' running') || status.startsWith('unhealthy') || status.startsWith('none')) {
      throw new Error(`${container} is "${status}":\n${await logs(container)}`);
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${container} not ${wanted} after ${timeoutMs} ms (${status}):\n${await logs(container)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function logs(container: string): Promise<string> {
  return docker(host(), ['logs', '--tail', '40', container]).catch((error: Error) => error.message);
}

/** A provider on the fake upstream, created through the API at baseUrl. */
export async function createProvider(gatewayUrl: string, name: string): Promise<{ id: string; name: string }> {
  const response = await fetch(`${gatewayUrl}/api/v1/providers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, baseUrl: `http://fake-upstream:${FAKE_UPSTREAM_PORT}/openai/v1`, apiKey: 'sk-container-test-key-0123456789', routingMethod: 'openai' }),
  });
  if (response.status !== 201) throw new Error(`provider not created: ${response.status} ${await response.text()}`);
  return response.json();
}

export async function providerNames(gatewayUrl: string): Promise<string[]> {
  const response = await fetch(`${gatewayUrl}/api/v1/providers`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (response.status !== 200) throw new Error(`providers not listed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { data: Array<{ name: string }> };
  return body.data.map((provider) => provider.name).sort();
}

/** A non-streamed chat; the fake upstream's benchmark answer comes back. */
export function chat(gatewayUrl: string, model: string, init: { stream?: boolean; signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(`${gatewayUrl}/api/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_AUTH_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], stream: init.stream ?? false }),
    signal: init.signal,
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string;
    gatewayImage: string;
  }
}
