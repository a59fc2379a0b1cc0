import { Hono } from 'hono';
import type * as z from 'zod';
import { providerImportRequestSchema, providerImportResultSchema } from '../api/provider-import.ts';
import type { AppEnv } from '../app-env.ts';
import type { Guards } from '../auth/guards.ts';
import { ValidationError } from '../errors/api-error.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { toValidationError } from '../middleware/validation.ts';
import { describeRoute, jsonAnswer } from '../openapi/describe-route.ts';
import { toPublicProvider } from '../providers/provider-schemas.ts';
import type { ProviderService } from '../providers/provider-service.ts';

// POST /providers/import: the keys a web UI held, moved into the gateway in one call, all or
// nothing (see README, "Moving a web UI's keys to the gateway").

const describeImport = describeRoute({
  operationId: 'importProviders',
  summary: 'Add many providers at once, all or nothing',
  description:
    'Names match case-insensitively, against stored providers and within the batch. An invalid entry is a 400 with `details.index` and `details.field`; with `onConflict: "fail"` an existing name is a 409 with `details.index`; then nothing is stored. `"replace"` keeps the stored provider\'s id and createdAt. With `dryRun` nothing is stored.',
  tags: ['Providers'],
  request: { json: providerImportRequestSchema },
  responses: { 200: jsonAnswer('What was (or, with dryRun, would be) created, replaced and skipped.', providerImportResultSchema) },
  errors: [409],
});

export function providerImportRoutes(dependencies: { providers: ProviderService; guards: Guards }) {
  const { providers, guards } = dependencies;
  return new Hono<AppEnv>().post('/providers/import', guards.management, describeImport, jsonBody(), async (c) => {
    const checked = providerImportRequestSchema.safeParse(c.get('jsonBody'));
    if (!checked.success) throw toImportValidationError(checked.error);
    const { providers: entries, onConflict, dryRun } = checked.data;
    const outcome = await providers.importMany(entries, onConflict, dryRun);
    c.get('logFields').imported = outcome.created.length + outcome.replaced.length;
    return c.json({
      created: outcome.created.map((provider) => toPublicProvider(provider, true)),
      replaced: outcome.replaced.map((provider) => toPublicProvider(provider, true)),
      skipped: outcome.skipped,
      dryRun,
    });
  });
}

/** An entry's error names its index and its own field (`baseUrl`), not the path into the batch. */
function toImportValidationError(error: z.ZodError): ValidationError {
  const generic = toValidationError(error);
  const [first] = error.issues;
  if (first && first.path[0] === 'providers' && typeof first.path[1] === 'number') {
    // toValidationError named it `providers[3].baseUrl`; the entry's own field is what a UI shows.
    const field = String(generic.details?.field).replace(/^providers\[\d+\]\.?/, '') || 'body';
    return new ValidationError(`Invalid entry ${first.path[1]}: ${field}: ${first.message}`, { index: first.path[1], field, issue: first.message });
  }
  return generic;
}
