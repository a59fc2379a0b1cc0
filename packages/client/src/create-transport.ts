import { contentTypeDetails, errorFromResponse } from './error-from-response.ts';
import { GatewayError } from './gateway-error.ts';

// The one place the client talks HTTP: URL, auth header, JSON body, and the mapping of what can go
// wrong before an answer arrives (no answer: NETWORK_ERROR; an aborted signal: its reason, as fetch
// itself does).

export interface GatewayClientOptions {
  /** The API base, e.g. `http://localhost:3000/api/v1`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. A function is called before every request, so a token can change (or be refreshed) between calls; undefined or '' sends none. */
  token?: string | (() => string | undefined | Promise<string | undefined>) | undefined;
  /** Defaults to globalThis.fetch. Always called as a plain function, never as a method. */
  fetch?: typeof fetch | undefined;
}

export interface RequestOptions {
  /** Aborting rejects the call with the signal's reason (an `AbortError` DOMException unless you gave one), as fetch does. */
  signal?: AbortSignal | undefined;
}

export interface SendOptions extends RequestOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  accept?: string;
}

export interface Transport {
  /** The answer, whatever its status. */
  send(method: string, path: string, options?: SendOptions): Promise<Response>;
  /** The answer's JSON (undefined for 204); an error status is thrown as GatewayError. */
  json<T>(method: string, path: string, options?: SendOptions): Promise<T>;
}

export function createTransport(options: GatewayClientOptions): Transport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const { token } = options;

  async function send(method: string, path: string, sendOptions: SendOptions = {}): Promise<Response> {
    const { body, query, signal } = sendOptions;
    const headers = new Headers(sendOptions.headers);
    headers.set('accept', sendOptions.accept ?? 'application/json');
    const bearer = typeof token === 'function' ? await token() : token;
    if (bearer) headers.set('authorization', `Bearer ${bearer}`);
    if (body !== undefined) headers.set('content-type', 'application/json');
    const url = `${baseUrl}${path}${queryString(query)}`;
    // Called through a local, never as `options.fetch(...)`: a browser's fetch called as a method
    // of another object throws "Illegal invocation". Looked up per call, so a fetch installed
    // after the client was made (a test double, a polyfill) is the one used.
    const fetchFunction = options.fetch ?? globalThis.fetch;
    // Not every fetch checks the signal before sending; an aborted call sends nothing.
    signal?.throwIfAborted();
    try {
      return await fetchFunction(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new GatewayError({ status: 0, code: 'NETWORK_ERROR', message: `Could not reach the gateway (${method} ${baseUrl}${path})`, cause: error });
    }
  }

  async function json<T>(method: string, path: string, sendOptions: SendOptions = {}): Promise<T> {
    const response = await send(method, path, sendOptions);
    if (!response.ok) throw await errorFromResponse(response);
    return readJson<T>(response, sendOptions.signal);
  }

  return { send, json };
}

export async function readJson<T>(response: Response, signal: AbortSignal | undefined): Promise<T> {
  if (response.status === 204) return undefined as T;
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new GatewayError({ status: 0, code: 'NETWORK_ERROR', message: 'The connection broke off while the answer was read', cause: error });
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new GatewayError({ status: response.status, code: 'INVALID_RESPONSE', message: `HTTP ${response.status} answer is not JSON`, details: contentTypeDetails(response), cause: error });
  }
}

function queryString(query: Record<string, string | undefined> | undefined): string {
  if (query === undefined) return '';
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) parameters.set(name, value);
  const text = parameters.toString();
  return text === '' ? '' : `?${text}`;
}
