import * as z from 'zod';
import { createProviderSchema } from '../providers/provider-schemas.ts';
import { providerSchema } from './providers.ts';

// POST /providers/import: moving the keys a web UI holds into the gateway in one call.

export const MAX_IMPORT_ENTRIES = 500;

export const importConflictPolicies = ['fail', 'skip', 'replace'] as const;
export type ImportConflictPolicy = (typeof importConflictPolicies)[number];

export const providerImportRequestSchema = z
  .strictObject({
    providers: z.array(createProviderSchema).min(1).max(MAX_IMPORT_ENTRIES),
    onConflict: z.enum(importConflictPolicies).default('fail'),
    dryRun: z.boolean().default(false),
  });

export type ProviderImportRequest = z.input<typeof providerImportRequestSchema>;

export const providerImportResultSchema = z.object({
  created: z.array(providerSchema),
  replaced: z.array(providerSchema),
  skipped: z.array(z.object({ index: z.number().int(), name: z.string(), reason: z.string() })),
  dryRun: z.boolean(),
});

export type ProviderImportResult = z.infer<typeof providerImportResultSchema>;
