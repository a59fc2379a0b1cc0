import { createClient, type RedisClientType } from '@redis/client';
import { StorageUnavailableError } from '../../../errors/api-error.ts';
import type { Logger } from '../../../logging/logger.ts';

// One node-redis client per process, shared by every store (it pipelines commands from concurrent
// requests over one connection). Tuned so that a Redis outage never makes a request hang:
//
// - the offline queue is off: while the client is reconnecting, a command fails at once instead
//   of waiting for a connection that may never come;
// - every call has a deadline (CALL_DEADLINE_MS): node-redis's own command timeout stops counting
//   once a command is written, so a Redis that accepted the connection but stopped answering
//   (frozen, partitioned) would otherwise hold the request forever;
// - it reconnects by itself, every second at most, so the process recovers without a restart.
//
// Every failure of a call becomes StorageUnavailableError (503 STORAGE_UNAVAILABLE); what failed is
// logged once per outage, by error name, never with the URL (which may hold a password).

/** A request that needs Redis answers within this, even when Redis stopped answering. */
export const CALL_DEADLINE_MS = 1_200;
const MAX_RECONNECT_DELAY_MS = 1_000;
/** At start-up, how long Redis may be unreachable before the process gives up. */
export const STARTUP_WAIT_MS = 10_000;

export type RedisClient = RedisClientType;

export class RedisStartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisStartupError';
  }
}

export interface RedisConnection {
  readonly client: RedisClient;
  /** Runs one or more commands under the deadline; any failure is StorageUnavailableError. */
  call<T>(operation: (client: RedisClient) => Promise<T>): Promise<T>;
  /** Connected and answering a PING within the deadline. */
  isHealthy(): Promise<boolean>;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  url: string;
  logger: Logger;
  /** Shown in CLIENT LIST, so an operator (and rotate-key) can tell what is connected. */
  clientName: string;
  startupWaitMs?: number;
  callDeadlineMs?: number;
}

/**
 * The URL as it may be shown: the password replaced, and a user name that stands alone too
 * (`redis://secret@host`, which some clients send as the password).
 */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    else if (parsed.username !== '') parsed.username = '***';
    return parsed.toString();
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

export async function openRedisConnection(options: RedisConnectionOptions): Promise<RedisConnection> {
  const { logger } = options;
  const deadlineMs = options.callDeadlineMs ?? CALL_DEADLINE_MS;
  const startupWaitMs = options.startupWaitMs ?? STARTUP_WAIT_MS;
  const client: RedisClient = createClient({
    url: options.url,
    name: options.clientName,
    disableOfflineQueue: true,
    // Bounds the queue while Redis is frozen: past it, commands fail at once.
    commandsQueueMaxLength: 10_000,
    commandOptions: { timeout: deadlineMs },
    socket: {
      connectTimeout: deadlineMs,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
    },
  });

  let lastError: Error | undefined;
  // 'starting' until the first connection: failures then are start-up's to report, not an outage.
  let state: 'starting' | 'up' | 'down' = 'starting';
  client.on('error', (error: Error) => {
    lastError = error;
    // Without a listener node-redis would throw the error from an event emitter and stop the process.
    if (state !== 'up') return;
    state = 'down';
    logger.error('Redis connection lost; requests that need it answer 503 until it is back', { error: describe(error) });
  });
  client.on('ready', () => {
    if (state === 'down') logger.info('Redis connection restored');
    state = 'up';
  });

  const shown = redactRedisUrl(options.url);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisStartupError(`Cannot reach Redis at REDIS_URL (${shown}) within ${startupWaitMs / 1000} s${lastError ? `: ${describe(lastError)}` : ''}. Check REDIS_URL and that Redis is running.`)), startupWaitMs);
  });
  try {
    await Promise.race([client.connect(), gaveUp]);
  } catch (error) {
    client.destroy();
    if (error instanceof RedisStartupError) throw error;
    throw new RedisStartupError(`Cannot use Redis at REDIS_URL (${shown}): ${describe(error)}.`);
  } finally {
    clearTimeout(timer);
  }

  let lastWarningAt = 0;
  async function call<T>(operation: (client: RedisClient) => Promise<T>): Promise<T> {
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => reject(new Error(`no answer within ${deadlineMs} ms`)), deadlineMs);
    });
    try {
      return await Promise.race([operation(client), late]);
    } catch (error) {
      if (error instanceof StorageUnavailableError) throw error;
      // One line per few seconds: an outage fails every request, and the log should still be readable.
      if (Date.now() - lastWarningAt > 5_000) {
        lastWarningAt = Date.now();
        logger.warn('Redis call failed: answering 503 STORAGE_UNAVAILABLE', { error: describe(error) });
      }
      throw new StorageUnavailableError();
    } finally {
      clearTimeout(deadline);
    }
  }

  return {
    client,
    call,
    async isHealthy() {
      if (!client.isReady) return false;
      return call((redis) => redis.ping()).then(() => true, () => false);
    },
    async close() {
      // close() waits for pending replies, which a frozen Redis never sends.
      if (!client.isReady) return client.destroy();
      await Promise.race([client.close(), new Promise((resolve) => setTimeout(resolve, deadlineMs))]);
      if (client.isOpen) client.destroy();
    },
  };
}

/** An error's class and code or first line, for logs: node-redis messages never carry the password. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as NodeJS.ErrnoException).code;
  return `${error.name}${code ? ` ${code}` : ''}: ${error.message.split('\n')[0]!.slice(0, 200)}`;
}
