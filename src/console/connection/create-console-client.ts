import { createGatewayClient, type GatewayClient } from 'llm-gateway-client';
import { readToken } from './token-storage.ts';

// The console talks to the gateway that served it, at its API beside the page (a gateway behind
// a path prefix works too), with the token read afresh for every request.

export const apiBase = (): string => new URL('api/v1', document.baseURI).href;

export function createConsoleClient(token: () => string | undefined = readToken): GatewayClient {
  return createGatewayClient({ baseUrl: apiBase(), token });
}
