import type { Context } from 'hono';
import { ForbiddenError } from '../errors/api-error.ts';

// What a server that needs no token (the default `npm start`: no API_AUTH_TOKEN, on loopback)
// refuses, since its only protection is that nobody else can reach it:
//
// - a Host other than loopback (or ALLOWED_HOSTS): a web page whose name was rebound to 127.0.0.1
//   (DNS rebinding) is same-origin to the browser, so CORS does not stop it; its requests still
//   carry its own name as Host. Both the URL's host and the Host header must pass, so an
//   absolute-form request target cannot stand in for the header.
// - a write from a page that is neither the gateway's own (the console) nor in ALLOWED_ORIGINS: a
//   form post or a no-cors fetch would otherwise reach management with nobody's token. Browsers
//   send Origin on every write; Sec-Fetch-Site covers one that did not. Requests with neither
//   (curl, SDKs on a server) are not a page's and pass.

export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

const reads = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface OpenModeRules {
  /** Host names (any port) served besides loopback: ALLOWED_HOSTS, lower-case. */
  allowedHosts: readonly string[];
  /** Origins whose pages may write: ALLOWED_ORIGINS. */
  allowedOrigins: readonly string[];
}

export function openModeRefusal(c: Context, rules: OpenModeRules): ForbiddenError | undefined {
  // The request URL is always serialised (lower-case host, IPv6 in brackets, no default port), so
  // its host is read off the string: this runs on every request of an open server.
  const url = c.req.url;
  const authority = url.indexOf('//') + 2;
  const host = url.slice(authority, url.indexOf('/', authority));
  const header = c.req.header('host');
  const served = (name: string | undefined) => name !== undefined && (LOOPBACK_HOSTS.includes(name) || rules.allowedHosts.includes(name));
  if (!served(host.replace(/:\d*$/, '')) || (header !== undefined && header !== host && !served(hostnameOf(header)))) {
    return new ForbiddenError(
      `This gateway runs without API_AUTH_TOKEN and answers only for ${LOOPBACK_HOSTS.join(', ')}${rules.allowedHosts.length > 0 ? ' and ALLOWED_HOSTS' : ''}; set API_AUTH_TOKEN to serve other names`,
    );
  }
  if (reads.has(c.req.method)) return undefined;
  const origin = c.req.header('origin');
  const foreign = origin === undefined ? c.req.header('sec-fetch-site') === 'cross-site' : !rules.allowedOrigins.includes(origin) && hostOf(origin) !== host;
  return foreign ? new ForbiddenError('This gateway runs without API_AUTH_TOKEN and takes writes only from its own pages and ALLOWED_ORIGINS') : undefined;
}

function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
