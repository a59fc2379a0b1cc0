import { createWorkerHandler } from './worker-handler.ts';

// The Worker entry point (wrangler.toml `main`): the fetch handler, and the Durable Object class
// behind the RATE_LIMIT_COUNTER binding, which workerd looks up among this module's exports.

export { RateLimitCounter } from './rate-limit-counter.ts';

export default createWorkerHandler();
