import * as z from 'zod';

export const errorCodes = [
  'VALIDATION_ERROR',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'QUOTA_EXCEEDED',
  'PROVIDER_ERROR',
  'PROVIDER_REJECTED',
  'PROVIDER_MISCONFIGURED',
  'UPSTREAM_BLOCKED',
  'UPSTREAM_TIMEOUT',
  'ENCRYPTION_KEY_MISMATCH',
  'STORAGE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** Every error answer, and the one `data:` event a failed stream ends with. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;
