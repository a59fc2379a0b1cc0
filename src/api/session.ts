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
  });

export type Session = z.infer<typeof sessionSchema>;
