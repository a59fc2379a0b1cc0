import { GatewayError } from 'llm-gateway-client';

// What the console shows for a failure: the gateway's own message, and the form field it names.

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * The form field a failure belongs to, from `details.field` ("customHeaders.X-Title" belongs to
 * the customHeaders field, "providers[1]" to providers), when it is one of the form's own; undefined otherwise.
 */
export function fieldOfError<F extends string>(error: unknown, fields: readonly F[]): F | undefined {
  if (!(error instanceof GatewayError)) return undefined;
  const field = error.details?.field;
  if (typeof field !== 'string') return undefined;
  return fields.find((name) => field === name || field.startsWith(`${name}.`) || field.startsWith(`${name}[`));
}

/** An abort the user asked for (Stop), as opposed to a failure. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
