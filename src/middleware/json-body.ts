import type { MiddlewareHandler } from 'hono';
import { ValidationError } from '../errors/api-error.ts';
import { readUtf8Body } from '../http/read-utf8-body.ts';

// Parses a JSON body once, after the size limit, and refuses what could hurt later code: a wrong
// Content-Type, nesting deep enough to blow a recursive walker, and `__proto__` keys (JSON.parse
// makes them own properties, but any later Object.assign or loose copy would turn them into a
// prototype swap).

export const MAX_JSON_DEPTH = 64;

const jsonMediaType = /^application\/(?:[\w.-]+\+)?json$/i;

export function jsonBody(): MiddlewareHandler<{ Variables: { jsonBody: Record<string, unknown> } }> {
  return async (c, next) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    if (!jsonMediaType.test(mediaType)) {
      throw new ValidationError('Content-Type must be application/json', { field: 'Content-Type' });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readUtf8Body(c));
    } catch (error) {
      if (error instanceof SyntaxError) throw new ValidationError('Malformed JSON in request body', { field: 'body' });
      throw error;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ValidationError('The request body must be a JSON object', { field: 'body' });
    }
    sanitize(parsed);
    c.set('jsonBody', parsed as Record<string, unknown>);
    await next();
  };
}

/** Iterative, so hostile nesting cannot overflow the stack; stops at the depth cap. */
function sanitize(root: object): void {
  const stack: Array<[object, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) {
      throw new ValidationError(`JSON nesting deeper than ${MAX_JSON_DEPTH} levels`, { field: 'body' });
    }
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) stack.push([item, depth + 1]);
      continue;
    }
    if (Object.hasOwn(node, '__proto__')) delete (node as Record<string, unknown>)['__proto__'];
    for (const key in node) {
      const value = (node as Record<string, unknown>)[key];
      if (typeof value === 'object' && value !== null) stack.push([value, depth + 1]);
    }
  }
}
