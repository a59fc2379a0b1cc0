import type { GatewayClient, Provider } from 'llm-gateway-client';

// What the row's Check, Test and Models buttons ask the gateway, as the line the row shows.
// A provider that fails is an answer (ok: false), not a throw; a throw is the gateway refusing.

export type CheckName = 'Check' | 'Test' | 'Models';

export interface CheckOutcome {
  ok: boolean;
  text: string;
  /** For Models: the upstream's model ids. */
  models?: string[];
}

export async function runCheck(gateway: GatewayClient, provider: Provider, check: CheckName): Promise<CheckOutcome> {
  switch (check) {
    case 'Check': {
      const health = await gateway.providers.health(provider.id);
      return health.status === 'ok'
        ? { ok: true, text: `Reachable, key accepted (${Math.round(health.latencyMs)} ms, circuit ${health.circuit})` }
        : { ok: false, text: `Check failed: ${health.error?.message ?? 'unknown error'} (circuit ${health.circuit})` };
    }
    case 'Test': {
      const test = await gateway.providers.test(provider.id);
      return test.ok ? { ok: true, text: `Test passed (${Math.round(test.latencyMs)} ms)` } : { ok: false, text: `Test failed: ${test.error?.message ?? 'unknown error'}` };
    }
    case 'Models': {
      const models = await gateway.providers.models(provider.id);
      const ids = models.data.map((model) => model.id);
      return { ok: true, text: `${ids.length} ${ids.length === 1 ? 'model' : 'models'}${models.cached ? ' (cached)' : ''}:`, models: ids };
    }
  }
}
