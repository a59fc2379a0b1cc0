import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';

/**
 * Runs a task that calls a provider on demand (a health check, a test, a model list that is not
 * cached) under the tighter outbound rate limit, so only requests that really go out are counted.
 */
export type OutboundLimit = <T>(c: Context<AppEnv>, task: () => Promise<T>) => Promise<T>;

export function outboundLimit(limiter: MiddlewareHandler<AppEnv>): OutboundLimit {
  return async (c, task) => {
    let result: { value: Awaited<ReturnType<typeof task>> } | undefined;
    await limiter(c, async () => {
      result = { value: await task() };
    });
    // The limiter throws when the limit is reached, so the task has run if we get here.
    return result!.value;
  };
}
