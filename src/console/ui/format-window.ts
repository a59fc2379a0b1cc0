// A rate-limit window in words: "per minute", "per 30 s".

const NAMED: Record<number, string> = { 1000: 'per second', 60_000: 'per minute', 3_600_000: 'per hour', 86_400_000: 'per day' };

export function formatWindow(windowMs: number): string {
  return NAMED[windowMs] ?? `per ${windowMs % 1000 === 0 ? `${windowMs / 1000} s` : `${windowMs} ms`}`;
}
