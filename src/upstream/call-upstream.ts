import {
  ProviderError,
  ProviderRejectedError,
  RateLimitedError,
  UpstreamBlockedError,
  UpstreamTimeoutError,
  type ApiError,
} from '../errors/api-error.ts';
import { createAbortSource, type AbortSignalLike } from '../http/abort-signal-like.ts';
import { scrubSecrets } from './scrub-secrets.ts';
import {
  UpstreamConnectBlockedError,
  type UpstreamClient,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream-client.ts';

// Every outbound call goes through here: one abort controller tied to the client's connection,
// a deadline for response headers, an idle deadline between body chunks, bounded retries before
// anything reached the client, and one mapping from transport failures to the contract's codes.

export interface UpstreamCallPolicy {
  client: UpstreamClient;
  timeoutMs: number;
  maxRetries: number;
  retryMaxDelayMs: number;
  /** false: a 429 is answered at once, not retried here (a route target rests and the next one serves). */
  retryRateLimited?: boolean;
}

/** The client went away; nothing is left to answer. */
export class ClientAbortedError extends Error {
  constructor() {
    super('Client disconnected');
    this.name = 'ClientAbortedError';
  }
}

export interface UpstreamExchange {
  status: number;
  header(name: string): string | undefined;
  /** The body, with the idle deadline applied between chunks and failures mapped to ApiErrors. */
  body: AsyncIterable<Uint8Array>;
  /** Stops the upstream request and releases its connection. Safe to call more than once. */
  discard(): void;
}

const retryableStatus = (status: number) => status === 429 || status >= 500;

export async function callUpstream(
  request: Omit<UpstreamRequest, 'signal'>,
  policy: UpstreamCallPolicy,
  clientSignal?: AbortSignalLike,
): Promise<UpstreamExchange> {
  const controller = createAbortSource();
  let timedOut = false;
  const abortForTimeout = () => {
    timedOut = true;
    controller.abort();
  };
  const onClientAbort = () => controller.abort();
  if (clientSignal?.aborted) throw new ClientAbortedError();
  clientSignal?.addEventListener('abort', onClientAbort, { once: true });
  const release = () => clientSignal?.removeEventListener('abort', onClientAbort);

  const classify = (error: unknown): Error => {
    if (timedOut) return new UpstreamTimeoutError();
    if (clientSignal?.aborted) return new ClientAbortedError();
    if (error instanceof UpstreamConnectBlockedError) return new UpstreamBlockedError();
    return new ProviderError('Could not reach the provider', { reason: 'network' });
  };

  for (let attempt = 0; ; attempt++) {
    const headersDeadline = setTimeout(abortForTimeout, policy.timeoutMs);
    let response: UpstreamResponse;
    try {
      response = await policy.client({ ...request, signal: controller.signal });
    } catch (error) {
      clearTimeout(headersDeadline);
      const mapped = classify(error);
      if (mapped instanceof ProviderError && attempt < policy.maxRetries) {
        await sleepUnlessAborted(backoffMs(attempt), controller.signal).catch(() => undefined);
        if (!controller.signal.aborted) continue;
      }
      release();
      throw controller.signal.aborted && !timedOut ? new ClientAbortedError() : mapped;
    }
    clearTimeout(headersDeadline);

    if (retryableStatus(response.status) && attempt < policy.maxRetries && (response.status !== 429 || policy.retryRateLimited !== false)) {
      const delay = parseRetryAfterMs(response.header('retry-after')) ?? backoffMs(attempt);
      if (delay <= policy.retryMaxDelayMs) {
        response.discard();
        try {
          await sleepUnlessAborted(delay, controller.signal);
        } catch {
          release();
          throw new ClientAbortedError();
        }
        continue;
      }
    }

    let finished = false;
    // The client's discard() releases the connection, and nothing is aborted: a complete answer
    // whose reader stopped before the body's end (a stream's last frame) keeps its keep-alive
    // connection, and abort() would build a DOMException with its stack for every stream.
    const discard = () => {
      if (finished) return;
      finished = true;
      release();
      response.discard();
    };
    return {
      status: response.status,
      header: (name) => response.header(name),
      body: watchIdle(response.body, policy.timeoutMs, abortForTimeout, classify, (completed) => {
        if (!completed) return;
        finished = true;
        release();
      }),
      discard,
    };
  }
}

async function* watchIdle(
  body: AsyncIterable<Uint8Array>,
  timeoutMs: number,
  onIdle: () => void,
  classify: (error: unknown) => Error,
  /** completed: the body was read to its end (not stopped early, not failed). */
  onEnd: (completed: boolean) => void,
): AsyncIterable<Uint8Array> {
  // One timer per body, re-armed lazily: a chunk only records the time, so a fast stream pays a
  // Date.now() per chunk instead of a clearTimeout/setTimeout pair.
  let lastActivity = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    const idle = Date.now() - lastActivity;
    if (idle >= timeoutMs) onIdle();
    else timer = setTimeout(check, timeoutMs - idle);
  };
  timer = setTimeout(check, timeoutMs);
  let completed = false;
  try {
    for await (const chunk of body) {
      lastActivity = Date.now();
      yield chunk;
    }
    completed = true;
  } catch (error) {
    throw classify(error);
  } finally {
    clearTimeout(timer);
    onEnd(completed);
  }
}

const rejectedStatuses = new Set([400, 404, 413, 422]);

/** The upstream answered with an error status: keep its message (scrubbed of the secrets sent, and of anything key-like), map its status. */
export function toUpstreamError(status: number, message: string | undefined, retryAfter: string | undefined, secrets: readonly string[]): ApiError {
  const text = scrubSecrets(message ?? `The provider answered with HTTP ${status}`, secrets);
  if (rejectedStatuses.has(status)) return new ProviderRejectedError(status as 400 | 404 | 413 | 422, text, { upstreamStatus: status });
  if (status === 429) {
    return new RateLimitedError(text, retryAfter, { upstreamStatus: status });
  }
  if (status >= 300 && status < 400) {
    return new ProviderError('The provider answered with a redirect, which this server does not follow', { upstreamStatus: status });
  }
  return new ProviderError(text, { upstreamStatus: status });
}

export function parseRetryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoffMs(attempt: number): number {
  const base = 200 * 2 ** attempt;
  return base / 2 + Math.random() * base / 2;
}

function sleepUnlessAborted(ms: number, signal: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ClientAbortedError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ClientAbortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
