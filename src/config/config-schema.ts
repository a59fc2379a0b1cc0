import * as z from 'zod';
import { parseUpstreamPolicy } from '../security/parse-upstream-policy.ts';
import type { UpstreamPolicy } from '../security/upstream-policy.ts';

// One schema for every setting, read from a plain record: process.env on Node, the bindings
// (vars + secrets) on Workers. Values are strings there, so everything is coerced here.

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

// A request limit, or `off` for none (a deployment behind its own limiter). 0 is refused rather
// than read as either: to some it means "no limit", to others "no requests".
const MAX_REQUEST_LIMIT = 1_000_000;
const requestLimit = (fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.union([z.string(), z.number()]).default(fallback).transform((value, context): number | false => {
      const text = String(value).trim();
      if (text.toLowerCase() === 'off') return false;
      const limit = Number(text);
      if (/^\d+$/.test(text) && limit >= 1 && limit <= MAX_REQUEST_LIMIT) return limit;
      context.addIssue({ code: 'custom', message: `must be an integer from 1 to ${MAX_REQUEST_LIMIT}, or "off" for no limit` });
      return z.NEVER;
    }),
  );

const flag = z.preprocess(
  emptyAsUndefined,
  z.enum(['true', 'false', '1', '0']).default('false').transform((value) => value === 'true' || value === '1'),
);

const optionalSecret = (minLength: number) =>
  z.preprocess(emptyAsUndefined, z.string().min(minLength, `must be at least ${minLength} characters`).optional());

const commaList = (fallback: string) =>
  z.preprocess(
    emptyAsUndefined,
    z.string().default(fallback).transform((value) =>
      value.split(',').map((item) => item.trim()).filter((item) => item.length > 0),
    ),
  );

function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** A host name or IP literal as a Host header carries it (IPv6 in brackets), without a port. */
function isHostName(value: string): boolean {
  if (!/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/i.test(value)) return false;
  try {
    return new URL(`http://${value}`).hostname === value.toLowerCase();
  } catch {
    return false;
  }
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && /^(\/\d{0,2})?$/.test(url.pathname);
  } catch {
    return false;
  }
}

// A token of few distinct characters (`aaaaaaaaaaaaaaaa`) passes a length rule and is among the
// first an attacker tries; refused in production, warned about elsewhere (configWarnings).
const MIN_DISTINCT_TOKEN_CHARACTERS = 10;
const tokenVariables = ['API_AUTH_TOKEN', 'ADMIN_TOKEN'] as const;
const weakTokenReason = `has fewer than ${MIN_DISTINCT_TOKEN_CHARACTERS} distinct characters, so it is easy to guess; use a random one (e.g. \`openssl rand -base64 32\`)`;
const isWeakToken = (token: string | undefined) => token !== undefined && new Set(token).size < MIN_DISTINCT_TOKEN_CHARACTERS;

export const configSchema = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PORT: integer(0, 65535, 3000),
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default('localhost')),
  PROVIDER_ENCRYPTION_KEY: optionalSecret(32),
  ALLOWED_ORIGINS: commaList('http://localhost:5173').pipe(
    z.array(z.string().refine(isExactOrigin, 'must be an exact http(s) origin like https://app.example.com (no path, no trailing slash)')),
  ),
  /** Host names (any port) a server without API_AUTH_TOKEN answers for besides localhost, 127.0.0.1 and [::1]. */
  ALLOWED_HOSTS: commaList('').pipe(
    z.array(z.string().refine(isHostName, 'must be host names without a port, like gateway.lan or [fd00::1]').transform((host) => host.toLowerCase())),
  ),
  PROVIDERS_FILE: z.preprocess(emptyAsUndefined, z.string().min(1).default('./data/providers.json')),
  RATE_LIMIT_WINDOW_MS: integer(1000, 24 * 60 * 60 * 1000, 60_000),
  /** false: rate limiting is off. */
  RATE_LIMIT_MAX_REQUESTS: requestLimit(100),
  /** false: the outbound limit is off. */
  // Enough for a UI that checks every provider on each page load; still a bound on what one client can make the gateway send out.
  OUTBOUND_RATE_LIMIT_MAX_REQUESTS: requestLimit(60),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
  API_AUTH_TOKEN: optionalSecret(16),
  ADMIN_TOKEN: optionalSecret(16),
  ALLOW_UNAUTHENTICATED: flag,
  /** Read once here: deny by default, `true` for every private upstream, or a host:port allow-list. */
  ALLOW_PRIVATE_UPSTREAMS: z.preprocess(emptyAsUndefined, z.string().optional()).transform((value, context): UpstreamPolicy => {
    try {
      return parseUpstreamPolicy(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message.replace(/^ALLOW_PRIVATE_UPSTREAMS:? ?/, '') });
      return z.NEVER;
    }
  }),
  TRUST_PROXY: integer(0, 10, 0),
  UPSTREAM_TIMEOUT_MS: integer(100, 10 * 60 * 1000, 60_000),
  UPSTREAM_MAX_RETRIES: integer(0, 5, 2),
  UPSTREAM_RETRY_MAX_DELAY_MS: integer(0, 60_000, 5_000),
  MODELS_CACHE_TTL_MS: integer(0, 7 * 24 * 60 * 60 * 1000, 5 * 60 * 1000),
  MAX_REQUEST_BODY_BYTES: integer(1024, 100 * 1024 * 1024, 8 * 1024 * 1024),
  MAX_UPSTREAM_RESPONSE_BYTES: integer(1024, 1024 * 1024 * 1024, 16 * 1024 * 1024),
  /** Cache every chat answer this long unless the request says otherwise (unset: only requests with X-Gateway-Cache-TTL). */
  RESPONSE_CACHE_TTL_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(86_400).optional()),
  RESPONSE_CACHE_MAX_BYTES: integer(1024, 16 * 1024 * 1024 * 1024, 64 * 1024 * 1024),
  /** How long POST /responses keeps a response (unless `store: false`) for previous_response_id and GET /responses/:id. */
  RESPONSES_TTL_SECONDS: integer(60, 366 * 86_400, 30 * 86_400),
  SHUTDOWN_TIMEOUT_MS: integer(0, 10 * 60 * 1000, 10_000),
  /** Node: keep everything in this Redis instead of the data folder, shared by every process that names it. */
  REDIS_URL: z.preprocess(emptyAsUndefined, z.string().refine(isRedisUrl, 'must be redis://[user:password@]host:port[/db] or rediss://... (TLS)').optional()),
  /** Every key the gateway writes in Redis starts with this, so one Redis can hold several gateways (or other data). */
  REDIS_KEY_PREFIX: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1 to 64 characters of letters, digits and : _ . -').default('llmgw:')),
}).superRefine((config, context) => {
  if (config.NODE_ENV !== 'production') return;
  for (const variable of tokenVariables) {
    if (isWeakToken(config[variable])) context.addIssue({ code: 'custom', path: [variable], message: weakTokenReason });
  }
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** What a valid configuration should still not be, for the entry points to log as warnings (never a value). */
export function configWarnings(config: AppConfig): string[] {
  return tokenVariables.filter((variable) => isWeakToken(config[variable])).map((variable) => `${variable} ${weakTokenReason}; NODE_ENV=production refuses it`);
}

/** Never echoes a value: a secret with a typo must not end up in a log. */
export function parseConfig(record: Record<string, unknown>): AppConfig {
  const result = configSchema.safeParse(record);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}
