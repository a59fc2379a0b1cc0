import { GatewayError, type GatewayClient } from 'llm-gateway-client';
import { errorMessage } from '../ui/error-message.ts';

// Whether the console can work with a token (or with none): listing providers needs the shared
// token or the management one. An access key is refused that route (403) but may still use the
// playground and its own usage, so it connects too; each view then shows what it may not do.

export type Probe = { kind: 'connected' } | { kind: 'needs-token'; message: string } | { kind: 'unreachable'; message: string };

export async function probeConnection(gateway: GatewayClient): Promise<Probe> {
  try {
    await gateway.providers.list();
    return { kind: 'connected' };
  } catch (error) {
    if (error instanceof GatewayError && error.status === 403) return { kind: 'connected' };
    if (error instanceof GatewayError && error.status === 401) return { kind: 'needs-token', message: error.message };
    return { kind: 'unreachable', message: errorMessage(error) };
  }
}
