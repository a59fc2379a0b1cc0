import * as z from 'zod';

// GET /usage: requests, tokens by kind and cost from the usage ledger, grouped and summed.

export const usageGroupings = ['key', 'provider', 'model', 'day', 'route'] as const;
export type UsageGrouping = (typeof usageGroupings)[number];

export const usageQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** A comma list of key, provider, model, day, route. */
  groupBy: z
    .string()
    .optional()
    .transform((value, context) => {
      const names = (value ?? '').split(',').map((name) => name.trim()).filter((name) => name.length > 0);
      for (const name of names) {
        if (!(usageGroupings as readonly string[]).includes(name)) {
          context.addIssue({ code: 'custom', message: `unknown grouping "${name}" (use ${usageGroupings.join(', ')})` });
          return z.NEVER;
        }
      }
      return [...new Set(names)] as UsageGrouping[];
    }),
});

export type UsageQuery = { from?: string; to?: string; groupBy?: UsageGrouping[] | string };

export const usageRowSchema = z.object({
  /** Access key id; null for the shared token. */
  key: z.string().nullable().optional(),
  provider: z.string().optional(),
  /** The provider's current name, beside its id, for a caller that cannot list providers (an access key); absent once the provider is deleted. */
  providerName: z.string().optional(),
  model: z.string().optional(),
  /** A UTC date, YYYY-MM-DD. */
  day: z.string().optional(),
  /** The route the requests named; absent on the row of requests that named none. */
  route: z.string().optional(),
  requests: z.number().int(),
  errors: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  /** Of promptTokens, read from a provider's cache. */
  cachedPromptTokens: z.number().int(),
  /** Of promptTokens, written to a provider's cache. */
  cacheWriteTokens: z.number().int(),
  /** Of completionTokens, spent reasoning. */
  reasoningTokens: z.number().int(),
  /** US dollars; requests with no known price count as 0 here and in unpricedRequests. */
  costUsd: z.number(),
  /** Requests whose model had no known price. */
  unpricedRequests: z.number().int(),
});

export type UsageRow = z.infer<typeof usageRowSchema>;

export const usageReportSchema = z.object({
  data: z.array(usageRowSchema),
  from: z.string(),
  to: z.string(),
});

export type UsageReport = z.infer<typeof usageReportSchema>;
