// llm-gateway-client: the typed client for web UIs. Web APIs and eventsource-parser only, so it
// runs in browsers, Node and Workers alike. The provider presets are a module of their own,
// llm-gateway-client/presets, so a UI that does not offer them does not carry them.

export { createGatewayClient, type GatewayClient } from './create-gateway-client.ts';
export { GatewayError, type ClientErrorCode, type GatewayErrorCode, type GatewayErrorInit } from './gateway-error.ts';
export type { GatewayClientOptions, RequestOptions } from './create-transport.ts';
export type { ChatOptions, ResponseInfo } from './chat-methods.ts';
export type * from './wire-types.ts';
