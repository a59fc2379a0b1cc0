import type { RecordedRequest } from '../support/fake-upstream/index.ts';
import type { CodingAgentName } from './coding-agents.ts';
import type { RecordedExchange } from './recording-proxy.ts';

// What the test hands a coding-agent session (run-cli-session.ts, inside its network namespace)
// and what the session writes back.

export interface SessionConfig {
  agent: CodingAgentName;
  /** node_modules/.bin of the project. */
  binFolder: string;
  /** The gateway's Node server, bundled (buildNodeScript). */
  serverScript: string;
  /** An empty folder for the gateway's data, the agent's home and its working folder. */
  folder: string;
  reportFile: string;
}

export interface SessionReport {
  interfaces: string[];
  nonce: string;
  providerName: string;
  keyId: string;
  keySecret: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** What the CLI sent the gateway, and the status and headers it got back. */
  exchanges: RecordedExchange[];
  /** What the gateway sent the fake upstream. */
  upstreamRequests: RecordedRequest[];
  /** GET /usage?groupBy=key,model as the operator sees it. */
  usageByKey: unknown;
  /** The gateway's log lines while the CLI ran. */
  gatewayLog: string;
}

export const PROVIDER_KEY = 'sk-CANARY-cli-session-0123456789abcdef';
