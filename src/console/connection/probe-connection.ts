import { GatewayError, type GatewayClient, type Session } from 'llm-gateway-client';
import { errorMessage } from '../ui/error-message.ts';

// Whether the console can work with a token (or with none), and as whom: GET /session answers any
// valid credential with its role, so the console shows only what that caller may use.

export type Probe = { kind: 'connected'; session: Session } | { kind: 'needs-token'; message: string } | { kind: 'unreachable'; message: string };

export async function probeConnection(gateway: GatewayClient): Promise<Probe> {
  try {
    return { kind: 'connected', session: await gateway.session() };
  } catch (error) {
    if (error instanceof GatewayError && error.status === 401) return { kind: 'needs-token', message: error.message };
    return { kind: 'unreachable', message: errorMessage(error) };
  }
}
