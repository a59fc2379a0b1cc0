import type { Caller } from './auth/caller.ts';
import type { LogFields } from './logging/logger.ts';
import type { RequestTrace } from './telemetry/tracing.ts';

// The Hono environment shared by every route and middleware.
export interface AppEnv {
  Variables: {
    jsonBody: Record<string, unknown>;
    requestId: string;
    /** Fields a route adds to its request's log line (provider id, model, token usage). */
    logFields: LogFields;
    /** Who is calling, once a guard has asked (null: nobody recognised). */
    caller: Caller | null;
    /** This request's trace (src/telemetry/tracing.ts): what the upstream attempts hang from. */
    trace: RequestTrace;
  };
}
