// What a behaviour test talks to: the gateway over HTTP, whichever runtime serves it. The Node
// project resolves '#target' to node-target.ts (a real server on a loopback port with the JSON
// file store); the Workers project to workers-target.ts (the Worker inside workerd with KV).

export interface Target {
  runtime: 'node' | 'workers';
  /** http://host:port/api/v1, for the openai SDK's baseURL. */
  apiBase: string;
  /** Requests a path under /api/v1 with the client token unless the init sets Authorization. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** A fetch implementation for SDK clients. */
  rawFetch: typeof fetch;
  /** A built static file (dist/public) at this path, as the runtime serves it outside /api/. */
  fetchPublicFile(path: string): Promise<Response>;
  /** The fake upstream's base URL (http://127.0.0.1:PORT). */
  upstreamUrl: string;
  /** Log lines written by the gateway so far (empty where the runtime does not expose them). */
  logs(): string[];
  close(): Promise<void>;
}

/**
 * A gateway that needs no token (the default `npm start`: no API_AUTH_TOKEN on loopback; on
 * Workers, ALLOW_UNAUTHENTICATED=true), which can also be sent a request for any Host.
 */
export interface OpenTarget extends Target {
  /** The loopback `host:port` the other methods send as Host. */
  host: string;
  /** Requests `path` from the root (`/api/v1/providers`, `/`) with `host` as its Host, no token added. */
  fetchAt(host: string, path: string, init?: RequestInit): Promise<Response>;
}

export const CLIENT_TOKEN = 'test-client-token-0123456789abcdef';
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const ENCRYPTION_KEY = 'behaviour-suite-encryption-key-0123456789';

/** The settings every behaviour test runs with, on both runtimes. */
export const behaviourEnvironment: Record<string, string> = {
  NODE_ENV: 'test',
  PROVIDER_ENCRYPTION_KEY: ENCRYPTION_KEY,
  API_AUTH_TOKEN: CLIENT_TOKEN,
  ADMIN_TOKEN,
  ALLOW_PRIVATE_UPSTREAMS: 'true',
  ALLOWED_ORIGINS: 'http://localhost:5173,https://app.example.com',
  UPSTREAM_TIMEOUT_MS: '1500',
  UPSTREAM_MAX_RETRIES: '2',
  UPSTREAM_RETRY_MAX_DELAY_MS: '2000',
  MAX_UPSTREAM_RESPONSE_BYTES: '1048576',
  MAX_REQUEST_BODY_BYTES: '262144',
  RATE_LIMIT_MAX_REQUESTS: '100000',
  OUTBOUND_RATE_LIMIT_MAX_REQUESTS: '100000',
  MODELS_CACHE_TTL_MS: '60000',
  LOG_LEVEL: 'debug',
};

export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

export function jsonInit(method: string, body: unknown, headers: Record<string, string> = adminHeaders): RequestInit {
  return { method, headers, body: JSON.stringify(body) };
}
