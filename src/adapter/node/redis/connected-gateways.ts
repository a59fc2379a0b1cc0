import type { RedisConnection } from './redis-connection.ts';

// How many gateway servers are connected to this Redis now, told by the client name each one
// sets (CLIENT SETNAME llm-gateway). Tools that must not run beside a live gateway (rotate-key,
// migrate-store --replace) ask first. A Redis that refuses CLIENT LIST (a managed service's ACL)
// answers 0: the operator's word that the gateways are stopped has to do then.

export const GATEWAY_CLIENT_NAME = 'llm-gateway';

export async function otherGatewaysOn(connection: RedisConnection): Promise<number> {
  const list = await connection.call((client) => client.sendCommand<string>(['CLIENT', 'LIST'])).catch(() => '');
  return String(list)
    .split('\n')
    .filter((line) => new RegExp(`(^| )name=${GATEWAY_CLIENT_NAME}( |$)`).test(line)).length;
}
