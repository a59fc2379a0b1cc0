import type { Context } from 'hono';
import { ValidationError } from '../errors/api-error.ts';

// A request body as text, for every route that reads one. JSON is UTF-8 (RFC 8259 §8.1), and
// Request.text() decodes UTF-8 whatever the Content-Type says, replacing bad bytes with U+FFFD: a
// name sent in Latin-1 used to be stored as "caf\uFFFD", and its author never told. So the body is
// refused instead (400 VALIDATION_ERROR) when its Content-Type declares any other charset, or when
// its bytes are not UTF-8: nothing is stored that differs from what the client meant.

const utf8 = new TextDecoder('utf-8', { fatal: true });
const charsetParameter = /;\s*charset\s*=\s*"?([^";\s]*)/i;

export async function readUtf8Body(c: Context): Promise<string> {
  const charset = charsetParameter.exec(c.req.header('content-type') ?? '')?.[1];
  if (charset !== undefined && !isUtf8Label(charset)) {
    throw new ValidationError(`Content-Type declares charset=${charset}: send the body as UTF-8, with charset=utf-8 or no charset`, { field: 'Content-Type' });
  }
  const bytes = await c.req.arrayBuffer();
  let text: string;
  try {
    // A leading byte-order mark is dropped, as Request.text() does.
    text = utf8.decode(bytes);
  } catch {
    throw new ValidationError('The request body is not valid UTF-8', { field: 'body' });
  }
  // Where c.req.text(), c.req.json() and the zod validator look first: the checked text.
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
  return text;
}

/** Every label the Encoding Standard maps to UTF-8 ("utf8", "UTF-8", "unicode-1-1-utf-8"...), and no other. */
function isUtf8Label(label: string): boolean {
  try {
    return new TextDecoder(label).encoding === 'utf-8';
  } catch {
    return false;
  }
}
