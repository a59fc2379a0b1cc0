import type { GatewayClient, Session } from 'llm-gateway-client';
import type { LogNames } from './describe-log-row.ts';

// The names the Logs view shows for the ids in its rows, from what the caller may read: the admin
// lists providers and keys; an access key, which may list neither, knows its own name, the
// providers its scope names, and the names GET /usage gives the providers it used (the last 30
// days, its default range).

export async function loadLogNames(gateway: GatewayClient, session: Session, scope: 'all' | 'own'): Promise<LogNames> {
  if (scope === 'all') {
    const [providers, keys] = await Promise.all([gateway.providers.list(), gateway.keys.list()]);
    return { providers: new Map(providers.map((each) => [each.id, each.name])), keys: new Map(keys.map((each) => [each.id, each.name])) };
  }
  const used = await gateway.usage({ groupBy: ['provider'] });
  const providers = new Map((session.scopes?.providers ?? []).map((each) => [each.id, each.name]));
  for (const row of used.data) if (row.provider && row.providerName) providers.set(row.provider, row.providerName);
  const keys = new Map(session.keyId !== undefined && session.keyName !== undefined ? [[session.keyId, session.keyName]] : []);
  return { providers, keys };
}
