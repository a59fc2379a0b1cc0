import { createWorkerHandler } from './worker-handler.ts';

// The Worker entry point (wrangler.toml `main`): the fetch handler, and the Durable Object classes
// behind the RATE_LIMIT_COUNTER, USAGE_LEDGER and TARGET_RESTS bindings, which workerd looks up among this
// module's exports.

export { RateLimitCounter } from './rate-limit-counter.ts';
export { UsageLedgerObject } from './usage-ledger-object.ts';
export { TargetRestsObject } from './target-rests-object.ts';

export default createWorkerHandler();
