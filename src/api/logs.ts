import * as z from 'zod';
import { cacheStatuses } from './gateway-headers.ts';

// GET /logs (contract v1.2, "Traces and the request log"): the newest requests first, one row per
// usage record, metadata only (no prompt, no answer).

export const logRoutes = ['chat', 'messages', 'responses', 'embeddings'] as const;
export type LogRoute = (typeof logRoutes)[number];

export const logStatuses = ['ok', 'error'] as const;
export type LogStatus = (typeof logStatuses)[number];

export const MAX_LOG_LIMIT = 500;

// The parameters are described in the route's description (src/routes/logs.ts).
export const logsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_LOG_LIMIT).default(100),
  before: z.string().min(1).max(256).optional(),
  key: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  status: z.enum(logStatuses).optional(),
});

export type LogsQuery = { limit?: number; before?: string; key?: string; provider?: string; model?: string; status?: LogStatus };

export const logRowSchema = z.object({
  id: z.string(),
  /** When the request came in, ISO time. */
  time: z.string(),
  /** Its X-Request-Id; null on records written before the request log existed. */
  requestId: z.string().nullable(),
  route: z.enum(logRoutes),
  /** The access key's id; null for the shared token. */
  keyId: z.string().nullable(),
  providerId: z.string(),
  /** The upstream model that served (or failed). */
  model: z.string(),
  /** The route the request named as its model, when it named one. */
  routeName: z.string().optional(),
  stream: z.boolean(),
  status: z.enum(logStatuses),
  /** Why it failed: the error code the client got, or CLIENT_CLOSED when the client left first. */
  errorCode: z.string().optional(),
  latencyMs: z.number().int(),
  /** Time to the first streamed chunk; null when nothing was streamed. */
  ttftMs: z.number().int().nullable(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  /** Prompt tokens read from the provider's cache; null while the ledger does not record them. */
  cachedPromptTokens: z.number().int().nullable(),
  /** Completion tokens spent on reasoning; null while the ledger does not record them. */
  reasoningTokens: z.number().int().nullable(),
  /** The request's price in US dollars; null when no price is known. */
  costUsd: z.number().nullable(),
  /** The response cache's answer: HIT, MISS or BYPASS; null when caching was off for the request. */
  cache: z.enum(cacheStatuses).nullable(),
});

export type LogRow = z.infer<typeof logRowSchema>;

export const logPageSchema = z.object({
  data: z.array(logRowSchema),
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next: z.string().optional(),
});

export type LogPage = z.infer<typeof logPageSchema>;
