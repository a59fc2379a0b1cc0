// Upstream error messages are shown to clients and written to logs; some providers echo the key
// they were sent ("Incorrect API key provided: sk-proj-..."), or any header of the request. The
// secrets known to have been sent (the key, custom header values) and everything that looks like a
// credential are masked before such a message goes anywhere, and nothing else: a URL in the
// message ("find your API key at https://platform.openai.com/account/api-keys") is what the
// reader needs next, so it is kept, with only a credential in its query or user part masked.

const REDACTED = '[REDACTED]';

const credentialPatterns: RegExp[] = [
  // Prefixed keys, or what a provider echoes of one (sk-proj-****…MxYA); a sentence's full stop
  // after the key is not part of it.
  /\b(?:sk|pk|rk|ak|gsk|xai|hf|api|key)[-_][A-Za-z0-9._\-*]{5,}[A-Za-z0-9_\-*]/gi,
  // Google API keys (Gemini).
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /\bBearer\s+[^\s"',}]+/gi,
  /\b(?:api[-_]?key|x-api-key|token|secret|password)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  // Long opaque runs: hex or base64-ish tokens of 32+ characters. No dots, so host names and
  // dotted identifiers (type.googleapis.com/google.rpc.ErrorInfo) stay readable.
  /[A-Za-z0-9_\-+/=]{32,}/g,
];

const urlPattern = /\bhttps?:\/\/[^\s"'<>`]+/gi;
const credentialParameter = /^(?:key|api[-_]?key|access[-_]?token|token|secret|password|sig|signature|auth|authorization)$/i;

export function scrubSecrets(text: string, knownSecrets: string | readonly string[] = []): string {
  let masked = text;
  // Longest first, so a secret that contains another is masked whole.
  const secrets = (typeof knownSecrets === 'string' ? [knownSecrets] : [...knownSecrets]).sort((a, b) => b.length - a.length);
  for (const secret of secrets) if (secret.length >= 4) masked = masked.split(secret).join(REDACTED);
  let scrubbed = '';
  let from = 0;
  for (const match of masked.matchAll(urlPattern)) {
    scrubbed += scrubProse(masked.slice(from, match.index)) + scrubUrl(match[0]);
    from = match.index + match[0].length;
  }
  scrubbed += scrubProse(masked.slice(from));
  return scrubbed.length > 1000 ? `${scrubbed.slice(0, 1000)}…` : scrubbed;
}

function scrubProse(text: string): string {
  let scrubbed = text;
  for (const pattern of credentialPatterns) {
    scrubbed = scrubbed.replace(pattern, (match, separator?: string) =>
      typeof separator === 'string' ? `${match.slice(0, match.indexOf(separator) + separator.length)}${REDACTED}` : REDACTED,
    );
  }
  return scrubbed;
}

/** The URL as written, unless its user part or a credential-named query parameter must be masked. */
function scrubUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return scrubProse(text);
  }
  let changed = false;
  if (url.password !== '' || url.username !== '') {
    // Without brackets, which a URL would percent-encode.
    url.username = url.username === '' ? '' : 'REDACTED';
    url.password = url.password === '' ? '' : 'REDACTED';
    changed = true;
  }
  for (const name of [...url.searchParams.keys()]) {
    if (credentialParameter.test(name)) {
      url.searchParams.set(name, 'REDACTED');
      changed = true;
    }
  }
  return changed ? url.toString() : text;
}
