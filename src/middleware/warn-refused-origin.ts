import type { Logger } from '../logging/logger.ts';

// A browser page whose origin is not in ALLOWED_ORIGINS gets no CORS grant, and its user sees only
// the browser's "blocked by CORS policy": the operator is told once per origin, by name, with the
// setting that admits it. The set of origins already named is bounded: a client cycling through
// made-up origins can make it forget (and name one again), never grow without end.

const MAX_REMEMBERED = 1000;
const MAX_ORIGIN_LENGTH = 200;

export function warnRefusedOriginOnce(logger: Logger): (origin: string) => void {
  const named = new Set<string>();
  return (origin) => {
    if (named.has(origin)) return;
    if (named.size >= MAX_REMEMBERED) named.clear();
    named.add(origin);
    logger.warn('CORS: refused a browser origin that is not in ALLOWED_ORIGINS; add it there to let its pages call the API', {
      origin: origin.length > MAX_ORIGIN_LENGTH ? `${origin.slice(0, MAX_ORIGIN_LENGTH)}…` : origin,
    });
  };
}
