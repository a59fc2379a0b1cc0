import * as z from 'zod';
import { displayNameSchema } from './display-name-schema.ts';

// Access keys: scoped, revocable `gwk_` secrets for the people and apps behind a web UI. The
// secret is shown once, in the answer to POST /keys; only its SHA-256 is stored.

export const ACCESS_KEY_PREFIX = 'gwk_';
export const budgetPeriods = ['day', 'month', 'total'] as const;
export type BudgetPeriod = (typeof budgetPeriods)[number];

const keyNameSchema = displayNameSchema(64);

export const rateLimitSchema = z.strictObject({
  requests: z.number().int().min(1).max(1_000_000),
  windowMs: z.number().int().min(1000).max(24 * 60 * 60 * 1000),
});

/** The most a dollar budget may be: kept in nano-dollars, it stays a safe integer. */
export const MAX_BUDGET_USD = 1_000_000;

/** At least one of tokens and usd (contract v1.2, "Cost"); going over either refuses the key's requests. */
export const budgetSchema = z
  .strictObject({
    /** Prompt plus completion tokens. */
    tokens: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    /** US dollars, as the ledger prices requests (costUsd). */
    usd: z.number().positive().max(MAX_BUDGET_USD).optional(),
    period: z.enum(budgetPeriods),
  })
  .refine((budget) => budget.tokens !== undefined || budget.usd !== undefined, { message: 'needs tokens, usd or both', path: ['tokens'] });

/** What a key has used in its budget's current period (its whole life without a budget). */
export const spentSchema = z.object({ usd: z.number().min(0), tokens: z.number().int().min(0) });

/** How many `*` a model pattern may hold: each is a piece the matcher searches for. */
export const MAX_PATTERN_STARS = 8;

/** `<provider name>/<model>`, or a route's name (no `/`), where `*` matches any run of characters. */
const modelPatternSchema = z
  .string()
  .trim()
  .min(1)
  .max(256)
  .regex(/^[^/]+(\/.+)?$/, 'must be a pattern of the form <provider name>/<model>, or a route name')
  .refine((pattern) => pattern.split('*').length - 1 <= MAX_PATTERN_STARS, `may hold at most ${MAX_PATTERN_STARS} *`);

const scopeFields = {
  name: keyNameSchema,
  /** Provider ids or names; absent or null: every provider. */
  providers: z.array(z.string().trim().min(1).max(128)).max(256).nullable(),
  /** Model patterns; absent or null: every model. */
  models: z.array(modelPatternSchema).max(256).nullable(),
  rateLimit: rateLimitSchema.nullable(),
  budget: budgetSchema.nullable(),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
};

export const createAccessKeySchema = z
  .strictObject({
    name: scopeFields.name,
    providers: scopeFields.providers.optional(),
    models: scopeFields.models.optional(),
    rateLimit: scopeFields.rateLimit.optional(),
    budget: scopeFields.budget.optional(),
    expiresAt: scopeFields.expiresAt.optional(),
  });

export type CreateAccessKeyInput = z.input<typeof createAccessKeySchema>;

export const updateAccessKeySchema = z
  .strictObject({ ...scopeFields, disabled: z.boolean() })
  .partial();

export type UpdateAccessKeyInput = z.input<typeof updateAccessKeySchema>;

/** Never the key, never its hash. */
export const accessKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** `gwk_…` and at most the secret's last 4 characters. */
  keyHint: z.string(),
  /** Provider ids, resolved from the ids or names given; null: every provider. */
  providers: z.array(z.string()).nullable(),
  models: z.array(z.string()).nullable(),
  rateLimit: rateLimitSchema.nullable(),
  budget: budgetSchema.nullable(),
  spent: spentSchema,
  expiresAt: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export type AccessKey = z.infer<typeof accessKeySchema>;

export const createdAccessKeySchema = accessKeySchema.extend({
  /** The secret, shown in this answer only. */
  key: z.string().regex(new RegExp(`^${ACCESS_KEY_PREFIX}[A-Za-z0-9_-]+$`)),
});

export type CreatedAccessKey = z.infer<typeof createdAccessKeySchema>;

export const accessKeyListSchema = z.object({ data: z.array(accessKeySchema) });
