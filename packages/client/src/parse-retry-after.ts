// Retry-After is either delay-seconds or an HTTP date (RFC 9110, section 10.2.3).
// https://www.rfc-editor.org/rfc/rfc9110#field.retry-after

const delaySeconds = /^\d+$/;

/** Whole seconds from `now` (rounded up, never negative); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (delaySeconds.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
