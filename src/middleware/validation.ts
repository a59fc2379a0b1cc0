import { zValidator } from '@hono/zod-validator';
import type { z } from 'zod';
import { ValidationError } from '../errors/api-error.ts';
import { withRequestSchema } from '../openapi/describe-route.ts';

// The one validation hook: any zod failure becomes VALIDATION_ERROR naming the first bad field.

export function toValidationError(error: z.ZodError): ValidationError {
  // An unknown key is named itself, not the object that holds it.
  const pathOf = (issue: z.core.$ZodIssue) => (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path);
  const issues = error.issues.slice(0, 10).map((issue) => ({ field: formatPath(pathOf(issue)), issue: issue.message }));
  const first = issues[0] ?? { field: 'body', issue: 'invalid' };
  return new ValidationError(`Invalid ${first.field}: ${first.issue}`, { field: first.field, issue: first.issue, issues });
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return 'body';
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

export function validateJson<T extends z.ZodType>(schema: T) {
  const validator = zValidator('json', schema, (result) => {
    if (!result.success) throw toValidationError(result.error as unknown as z.ZodError);
  });
  // The API description reads the request body's schema from here: the one that validates it.
  return withRequestSchema(validator, { json: schema });
}
