import * as z from 'zod';
import { budgetSchema, rateLimitSchema, spentSchema } from './access-keys.ts';

// GET /session: who the caller is and what it may do, so a UI shows only what that caller can use.
// Providers are given with their names (a UI shows names, never ids).

export const sessionRoles = ['admin', 'client', 'access-key'] as const;
export type SessionRole = (typeof sessionRoles)[number];

const sessionProviderSchema = z.object({ id: z.string(), name: z.string() });

export const sessionSchema = z
  .object({
    role: z.enum(sessionRoles).meta({ description: '`admin`: every route; `client`: the shared API_AUTH_TOKEN while an ADMIN_TOKEN is set (chat, models, reading providers); `access-key`: a `gwk_` key, within the scopes below.' }),
    keyId: z.string().optional().meta({ description: 'The access key\'s id (access keys only).' }),
    keyName: z.string().optional(),
    scopes: z
      .object({
        /** null: every provider. */
        providers: z.array(sessionProviderSchema).nullable(),
        /** Patterns `<provider name>/<model>`; null: every model. */
        models: z.array(z.string()).nullable(),
      })
      .optional(),
    rateLimit: rateLimitSchema.nullable().optional(),
    budget: budgetSchema
      .and(z.object({ spent: spentSchema.meta({ description: 'Used in the current period (UTC day or month, or the key\'s whole life).' }) }))
      .nullable()
      .optional(),
    expiresAt: z.string().nullable().optional(),
  })
  .meta({
    example: {
      role: 'access-key',
      keyId: '3f1c2a9e-5b7d-4e21-9a0c-1d2e3f4a5b6c',
      keyName: 'alice',
      scopes: { providers: [{ id: '8b0e4f6a-2c1d-4e3f-9a8b-7c6d5e4f3a2b', name: 'openai' }], models: ['openai/gpt-4o*'] },
      rateLimit: { requests: 60, windowMs: 60_000 },
      budget: { tokens: 1_000_000, usd: 20, period: 'month', spent: { usd: 3.42, tokens: 52_310 } },
      expiresAt: null,
    },
  });

export type Session = z.infer<typeof sessionSchema>;
