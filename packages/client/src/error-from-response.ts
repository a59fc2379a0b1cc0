import { GatewayError, type GatewayErrorCode } from './gateway-error.ts';
import { parseRetryAfter } from './parse-retry-after.ts';
import type { ErrorCode } from './wire-types.ts';

// An error answer as a GatewayError. The gateway answers {error:{code, message, details?}}, on the
// Messages route Anthropic's {type:"error", error:{type, message, gateway_code}}; anything else (a reverse proxy's HTML 502, a CDN's 429) gets the contract's code for its status.

const codeForStatus: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
  502: 'PROVIDER_ERROR',
  503: 'STORAGE_UNAVAILABLE',
  504: 'UPSTREAM_TIMEOUT',
};

export interface ErrorPayload {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The `error` member of the gateway's error body, or undefined when `value` is not one. */
export function errorPayloadOf(value: unknown): ErrorPayload | undefined {
  if (typeof value !== 'object' || value === null || !('error' in value)) return undefined;
  const error: unknown = value.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code: ownCode, gateway_code: gatewayCode, message, details } = error as Record<string, unknown>;
  const code = ownCode ?? gatewayCode;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  const hasDetails = typeof details === 'object' && details !== null && !Array.isArray(details);
  return hasDetails ? { code, message, details: details as Record<string, unknown> } : { code, message };
}

export async function errorFromResponse(response: Response): Promise<GatewayError> {
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'), Date.now());
  let text = '';
  try {
    text = await response.text();
  } catch {
    // The body broke off: the status and headers still say what happened.
  }
  const payload = errorPayloadOf(parseJson(text));
  if (payload) return new GatewayError({ status: response.status, ...payload, retryAfterSeconds });
  const code: GatewayErrorCode = codeForStatus[response.status] ?? 'HTTP_ERROR';
  return new GatewayError({
    status: response.status,
    code,
    message: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}, without the gateway's error body`,
    details: contentTypeDetails(response),
    retryAfterSeconds,
  });
}

export function contentTypeDetails(response: Response): { contentType: string } | undefined {
  const contentType = response.headers.get('content-type');
  return contentType === null ? undefined : { contentType };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
