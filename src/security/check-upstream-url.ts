import { classifyHost, normaliseHost } from './classify-host.ts';
import { isAllowedBy, type UpstreamPolicy } from './upstream-policy.ts';

// A provider's base URL against the outbound policy, before any connection: at save time and at
// every use. The decision is made on what the WHATWG URL parser reads, since that is the host
// fetch and undici connect to (2130706433, 0x7f.1, 127.1, 0 and %-encoded or full-width digits
// all become a dotted quad there). Refusal reasons are coarse: nothing that reaches a client may
// help map the internal network.

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: 'invalid' | 'scheme' | 'credentials' | 'blocked' };

/** http(s) only, no username or password, and a host the policy allows at its effective port. */
export function checkUpstreamUrl(raw: string, policy: UpstreamPolicy): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'scheme' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials' };

  const host = normaliseHost(url.hostname);
  if (host === '') return { ok: false, reason: 'invalid' };
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return isAllowedBy(policy, classifyHost(host), host, port) ? { ok: true, url } : { ok: false, reason: 'blocked' };
}
